/**
 * The app-account stack's canary (components/consumer/canary): built from the `connection` output the stack exports,
 * so that it connects exactly as applications are told to, with the credential of the consumer's own mode; in the
 * applications' subnets and client security groups; scheduled once the path it checks exists, so its first run finds it.
 */
import * as pulumi from "@pulumi/pulumi";
import { Canary, canaryProducerOf, canaryRoleName, canaryTargets } from "../../components/consumer/canary";
import type { ConsumerPathAlarmsArgs } from "../../components/monitoring";
import { modeOf, referenceOf, type ConsumerAuth } from "../../vocabulary";
import type { AppAccountConfig } from "../config/app-account";
import type { Connection } from "./connection";

export interface CanaryPlacement {
    /** The subnets applications run in. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The applications' client security groups: the stack's own, or those config lists. */
    readonly securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The path's resources: the interface endpoint, the private DNS, the API endpoint. */
    readonly runAfter: pulumi.Resource[];
    /** Where the canary's alarms notify (the stack's alarm topic), on ALARM and on OK. @default nowhere */
    readonly alarmActions?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The canary, or undefined when config turns it off or the producer does not describe this account's login. */
export function appAccountCanary(
    name: string,
    config: AppAccountConfig,
    consumer: ConsumerAuth | undefined,
    connection: Connection,
    placement: CanaryPlacement,
    provider: pulumi.ProviderResource,
): Canary | undefined {
    if (!config.canary.enabled) return undefined;
    if (!consumer) {
        void pulumi.log.warn(
            `The canary is not created: the contract of ${config.producerStack} does not describe this account's ` +
                `database user and login (a db-account stack of an earlier release). Deploy the db-account stack ` +
                `again, or set canary to {"enabled": false}.`,
        );
        return undefined;
    }
    const reference = referenceOf(consumer);
    const mode = modeOf(reference);
    return new Canary(
        `${name}-canary`,
        {
            stack: pulumi.getStack(),
            targets: canaryTargets(connection, mode.databaseLogin),
            accessPolicy: mode.applicationPolicy(reference),
            roleName: canaryRoleName(canaryProducerOf(config.producerStack), consumer.databaseUser),
            subnetIds: placement.subnetIds,
            securityGroupIds: placement.securityGroupIds,
            schedule: config.canary.schedule,
            runAfter: placement.runAfter,
            ...(placement.alarmActions ? { alarmActions: placement.alarmActions } : {}),
        },
        { provider },
    );
}

/** The canary's section of the stack's dashboard: its alarms, graphed from their definitions, first. */
export function canaryOnDashboard(canary: Canary): NonNullable<ConsumerPathAlarmsArgs["extraAlarms"]> {
    return {
        section: "Canary",
        about: "logs in to each endpoint as this account's applications do, through the whole path",
        alarms: canary.alarms,
    };
}
