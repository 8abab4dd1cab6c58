/**
 * What each access mode creates in the database account, by mode: the one place that maps a mode to its
 * resources (./iam.ts, ./password.ts). A new mode adds its builder here and nowhere else in components/.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AccessKind, AccessReference } from "../../vocabulary";
import type { ConsumerAccessArgs } from "./consumer-access";
import { buildIamAccess, IAM_ROLE_SUFFIXES } from "./iam";
import { buildPasswordAccess } from "./password";

/** What a builder is given: the component's validated arguments. */
export type AccessBuilderArgs = ConsumerAccessArgs;

/** A consumer's secret, for the proxy that serves it and the bootstrap that sets the user's password from it. */
export interface SharedSecret {
    readonly resource: aws.secretsmanager.Secret;
    readonly arn: pulumi.Output<string>;
    /** The customer-managed key that encrypts it. */
    readonly keyArn: pulumi.Output<string>;
    /** The version holding the current password: it changes with the password. */
    readonly versionId: pulumi.Output<string>;
}

/** What a builder made. */
export interface AccessBuild {
    /** The consumer's reference, as the contract carries it. */
    readonly reference: pulumi.Output<AccessReference>;
    /** The role the consumer's principals assume, when the mode has one. */
    readonly connectRole?: aws.iam.Role;
    /** The key of the consumer's secret, when the mode shares one. */
    readonly key?: aws.kms.Key;
    /** The consumer's secret, when the mode shares one. */
    readonly secret?: SharedSecret;
}

/** Creates one mode's resources as children of `parent`, named after `name`. */
export type AccessBuilder = (parent: pulumi.Resource, name: string, args: AccessBuilderArgs) => AccessBuild;

/** Every mode's builder. */
export const ACCESS_BUILDERS: { readonly [K in AccessKind]: AccessBuilder } = {
    iam: buildIamAccess,
    password: buildPasswordAccess,
};

/**
 * The suffixes of the children whose auto-named IAM role names carry the component's name (and so the consumer's):
 * config checks that the longest fits IAM's 64 characters.
 */
export const ROLE_NAME_SUFFIXES: { readonly [K in AccessKind]: readonly string[] } = {
    iam: IAM_ROLE_SUFFIXES,
    password: [],
};
