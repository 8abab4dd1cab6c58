import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { dependsThrough, listOf, subject, TYPES } from "../lib/resources";
import { checkEvery } from "../lib/unknowns";

/** The TLS-forcing parameter a parameter-group family needs. */
export interface TlsParameter {
    /** Parameter name. */
    readonly name: string;
    /** Accepted values, compared case-insensitively. */
    readonly accepted: readonly string[];
    /** The value the fix should set. */
    readonly fixValue: string;
}

const FORCE_SSL: TlsParameter = { name: "rds.force_ssl", accepted: ["1"], fixValue: "1" };
const REQUIRE_SECURE_TRANSPORT: TlsParameter = {
    name: "require_secure_transport",
    accepted: ["1", "on"],
    fixValue: "ON",
};

/**
 * The parameter that forces TLS for a parameter-group family: `rds.force_ssl` for postgres, aurora-postgresql
 * and sqlserver families; `require_secure_transport` for mysql, mariadb and aurora-mysql (including the old
 * `aurora5.6` family). Undefined for a family this rule does not know.
 */
export function tlsParameterFor(family: string): TlsParameter | undefined {
    const f = family.trim().toLowerCase();
    if (f.startsWith("aurora-postgresql") || f.startsWith("postgres") || f.startsWith("sqlserver")) {
        return FORCE_SSL;
    }
    if (
        f.startsWith("aurora-mysql") ||
        f.startsWith("aurora5") ||
        f.startsWith("mysql") ||
        f.startsWith("mariadb")
    ) {
        return REQUIRE_SECURE_TRANSPORT;
    }
    return undefined;
}

/** Which property of a cluster or instance names its parameter group, and what kind of group that is. */
const PARAMETER_GROUP_PROPERTY: Record<string, { property: string; groupType: string; groupClass: string }> =
    {
        [TYPES.rdsCluster]: {
            property: "dbClusterParameterGroupName",
            groupType: TYPES.rdsClusterParameterGroup,
            groupClass: "aws.rds.ClusterParameterGroup",
        },
        [TYPES.rdsInstance]: {
            property: "parameterGroupName",
            groupType: TYPES.rdsParameterGroup,
            groupClass: "aws.rds.ParameterGroup",
        },
    };

const TLS_PARAMETER_HINT =
    "rds.force_ssl=1 (PostgreSQL, SQL Server) or require_secure_transport=ON (MySQL, MariaDB)";

/** Blocks clusters and instances that run on a default parameter group, which cannot force TLS. */
export const rdsParameterGroupRequired: ResourceValidationPolicy = {
    name: "rds-parameter-group-required",
    description: "RDS clusters and instances must use their own parameter group, not the engine default.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const spec = PARAMETER_GROUP_PROPERTY[args.type];
        if (spec === undefined) {
            return;
        }
        const value: unknown = args.props[spec.property];
        const fix = `Fix: create an ${spec.groupClass} with ${TLS_PARAMETER_HINT} and set ${spec.property} to its name.`;
        if (typeof value !== "string" || value.trim() === "") {
            reportViolation(
                `${subject(args.type, args.name)} does not set ${spec.property}, so it runs on the engine's default parameter group, which does not force TLS. ${fix}`,
            );
        } else if (value.trim().toLowerCase().startsWith("default.")) {
            reportViolation(
                `${subject(args.type, args.name)} sets ${spec.property} to the default parameter group "${value}", which cannot be changed to force TLS. ${fix}`,
            );
        }
    },
};

function findGroup(
    user: PolicyResource,
    property: string,
    groupName: string,
    groups: readonly PolicyResource[],
): PolicyResource | undefined {
    const byDependency = groups.find((g) => dependsThrough(user, property, g));
    if (byDependency !== undefined) {
        return byDependency;
    }
    // AWS stores DB parameter group and DB cluster parameter group names in lower case ("This value is stored as a
    // lowercase string", RDS API reference: CreateDBParameterGroup and CreateDBClusterParameterGroup,
    // DBParameterGroupName / DBClusterParameterGroupName), so a cluster naming "DB-TLS" uses the group "db-tls".
    const wanted = groupName.trim().toLowerCase();
    let byName: PolicyResource | undefined;
    checkEvery(groups, (g) => {
        const name: unknown = g.props.name;
        if (byName === undefined && typeof name === "string" && name.trim().toLowerCase() === wanted) {
            byName = g;
        }
    });
    return byName;
}

/** Describes what a group sets for the parameter, or undefined when it forces TLS. */
function tlsGap(group: PolicyResource, parameter: TlsParameter): string | undefined {
    const values: string[] = [];
    checkEvery(listOf(group.props.parameters), (entry) => {
        const p = entry as Record<string, unknown>;
        if (String(p.name).trim().toLowerCase() === parameter.name) {
            values.push(String(p.value).trim());
        }
    });
    if (values.length > 0 && values.every((v) => parameter.accepted.includes(v.toLowerCase()))) {
        return undefined;
    }
    return values.length === 0
        ? `does not set ${parameter.name}`
        : `sets ${values.map((v) => `${parameter.name}=${v}`).join(", ")}`;
}

/**
 * Checks that each parameter group named by a cluster or instance of the stack, when that group is created in
 * the same stack, forces TLS for its family. Groups are matched by the engine's property dependencies, else by
 * the group's `name` compared as AWS compares it (case-insensitively); a group from outside the stack is not
 * checked here.
 */
export const rdsParameterGroupForcesTls: StackValidationPolicy = {
    name: "rds-parameter-group-forces-tls",
    description:
        "Parameter groups used by RDS clusters and instances must force TLS (rds.force_ssl=1 or require_secure_transport=ON).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const users = new Map<PolicyResource, PolicyResource[]>();
        // Two phases: an unknown group name on one cluster still lets the groups of the others be judged.
        checkEvery<() => void>(
            [
                () => {
                    checkEvery(args.resources, (r) => {
                        const spec = PARAMETER_GROUP_PROPERTY[r.type];
                        if (spec === undefined) {
                            return;
                        }
                        const groupName: unknown = r.props[spec.property];
                        if (typeof groupName !== "string" || groupName === "") {
                            return;
                        }
                        const groups = args.resources.filter((g) => g.type === spec.groupType);
                        const group = findGroup(r, spec.property, groupName, groups);
                        if (group !== undefined) {
                            users.set(group, [...(users.get(group) ?? []), r]);
                        }
                    });
                },
                () => {
                    checkEvery([...users.entries()], ([group, usedBy]) => {
                        const family = String(group.props.family);
                        const usedByText = usedBy.map((u) => subject(u.type, u.name)).join(", ");
                        const parameter = tlsParameterFor(family);
                        if (parameter === undefined) {
                            reportViolation(
                                `${subject(group.type, group.name)} (family ${family}), used by ${usedByText}, has a family this policy cannot check for TLS. ` +
                                    `Fix: use a postgres, aurora-postgresql, sqlserver, mysql, mariadb or aurora-mysql family, or disable this policy for the stack.`,
                                group.urn,
                            );
                            return;
                        }
                        const gap = tlsGap(group, parameter);
                        if (gap !== undefined) {
                            reportViolation(
                                `${subject(group.type, group.name)} (family ${family}), used by ${usedByText}, ${gap}, so the database accepts unencrypted connections. ` +
                                    `Fix: add the parameter { name: "${parameter.name}", value: "${parameter.fixValue}" } to the group.`,
                                group.urn,
                            );
                        }
                    });
                },
            ],
            (phase) => phase(),
        );
    },
};
