/**
 * `consumers` in the db-account config: the consumer accounts, who in them may connect, and their database users.
 */
import {
    accountIdRule,
    booleanLike,
    distinctList,
    leaf,
    list,
    matching,
    object,
    optional,
    principalRule,
    rule,
    satisfying,
    type Rule,
} from "../../vocabulary";

const trueOrFalse = rule(booleanLike, "true or false", "true");

/** A key judged by `r` that may be absent. */
const optionalLeaf = <T>(r: Rule<T>) => optional(leaf(r));

/**
 * A name the engine decides on: its leaf checks only that it is a string of plausible length, and the
 * engine's own rule (`databaseUserRule`, `databaseRoleRule`) is applied by a cross-key rule, since
 * `database.engine` is another key.
 */
const databaseNameLeaf = (what: string, example: string) =>
    optionalLeaf(
        rule(
            satisfying<string>((v) => typeof v === "string"),
            `a ${what} (a string)`,
            example,
        ),
    );

/** A consumer's list of principals (`principals`, `endpointPrincipals`). */
const principalsLeaf = (example: string) =>
    optionalLeaf(
        rule(
            distinctList(principalRule.schema, 1),
            "a non-empty list of distinct IAM ARNs (account root, role or user; a known partition; names of " +
                '1-64 characters; never "*")',
            example,
        ),
    );

const consumerShape = object({
    name: leaf(
        rule(
            matching(/^[a-z][a-z0-9-]{0,31}$/),
            "a lower-case name: a letter, then up to 31 letters, digits or hyphens",
            '"billing"',
        ),
    ),
    accountId: leaf({ ...accountIdRule, example: '"222222222222"' }),
    principals: principalsLeaf('["arn:aws:iam::222222222222:role/app"]'),
    endpointPrincipals: principalsLeaf('["arn:aws:iam::222222222222:role/platform-deployer"]'),
    databaseUser: databaseNameLeaf("database user name", '"orders_app"'),
    databaseRole: databaseNameLeaf("database role name", '"app_readwrite"'),
    adopt: optionalLeaf({ ...trueOrFalse, example: "true" }),
    canary: optionalLeaf({ ...trueOrFalse, example: "false" }),
    outsideOrganization: optionalLeaf({ ...trueOrFalse, example: "true" }),
});

export const consumersShape = list(consumerShape, {
    min: 1,
    tooFew: "it must list at least one consumer account ({ name, accountId, principals?, endpointPrincipals?, databaseUser?, databaseRole?, adopt?, canary?, outsideOrganization? }) allowed to connect",
});

export interface Consumer {
    readonly name: string;
    readonly accountId: string;
    /** Exact principals that may connect (assume the connect role, or read the secret); defaults to the account root. */
    readonly principals: string[];
    /**
     * Principals that may create an interface endpoint to the endpoint service (whoever deploys the consumer's
     * app-account stack); defaults to the account root, so that `principals` may name only the applications' role.
     */
    readonly endpointPrincipals: string[];
    /** The consumer's database user; defaults to its name with `-` replaced by `_`. */
    readonly databaseUser: string;
    /** An existing database role the user is a member of; absent: connect only. */
    readonly databaseRole?: string;
    /**
     * Take over a database user of that name that this stack did not create (docs/database-users.md): for one
     * `pulumi up`, then removed again, so that a same-named user made by someone else later is never adopted.
     */
    readonly adopt?: true;
    /** Whether narrowed `principals` admit the consumer's canary role too (docs/db-account.md); defaults to true. */
    readonly canary: boolean;
    /**
     * The account is outside the producer's AWS Organization (vpc-lattice only): the RAM share then allows external
     * principals, and the account gets an invitation its stack accepts.
     */
    readonly outsideOrganization?: true;
}
