/**
 * Access mode `iam`: RDS Proxy end-to-end IAM. Each consumer gets a connect role in the database account, trusted
 * by that consumer's principals only and allowed `rds-db:connect` as its own user; its applications assume it and
 * sign a short-lived RDS auth token as the password. IAM database authentication needs a principal of the
 * database's account ("The user must be in the same account as the account for the DB instance. To perform
 * cross-account access, create an IAM role", AWS, IAM database access policy), hence the role.
 */
import { protocolOf } from "../engines";
import { roleArnRule } from "../identifiers";
import type { AccessMode } from "./mode";
import { principalClause } from "./principals";

/** A consumer's reference in iam mode: the role its principals assume to sign tokens. */
export interface IamReference {
    readonly auth: "iam";
    /** The role in the database account its principals assume to sign tokens. */
    readonly connectRoleArn: string;
}

/** The AWS CLI profile the examples create and use. */
const PROFILE = "db-connect";

/** The connect role's trust policy: exactly the consumer's principals may assume it (named as ./principals.ts says). */
export function connectRoleTrustPolicy(principals: readonly string[]): string {
    const { Principal, Condition } = principalClause(principals);
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ConsumerPrincipalsAssume",
                Effect: "Allow",
                Principal,
                Action: "sts:AssumeRole",
                ...(Condition ? { Condition } : {}),
            },
        ],
    });
}

export const iamMode: AccessMode<IamReference> = {
    auth: "iam",
    summary:
        "RDS Proxy end-to-end IAM: one connect role per consumer in the database account, trusted by that " +
        "consumer's principals only",
    // Each consumer has a connect role, which counts against IAM's roles per account (1,000 by default: the stack
    // warns near it, ./limits.ts); 1,000 is the largest count whose plan the policy-size tests measure.
    maxConsumers: {
        count: 1_000,
        reason:
            "the largest number of consumers whose policies this program proves within AWS's size limits (each " +
            "consumer also gets a connect role, and IAM allows 1,000 roles per account by default)",
    },
    principalPolicies: (principals) => [
        {
            limit: "roleTrustPolicy",
            what: "its connect role's trust policy",
            document: connectRoleTrustPolicy(principals),
        },
    ],
    referenceRules: { connectRoleArn: roleArnRule },
    referenceProblems: () => [],

    proxy: {
        roleDescription: (proxyName) =>
            `Lets RDS Proxy ${proxyName} connect to the database as the consumers' users`,
        policySuffix: "database-connect",
        grantsCarrySecrets: false,
        // End-to-end IAM (Sept 2025): clients present IAM tokens for prx-<id>/<user>, and the proxy connects with
        // tokens of its own role for <cluster-resource-id>/<user> (AWS, "Setting up IAM authentication for RDS
        // Proxy"). No auths: they are required only with NONE/unset.
        authSettings: () => ({ defaultAuthScheme: "IAM_AUTH" }),
        // `rds-db:connect` as any user of this stack's cluster, `dbuser:<cluster-resource-id>/*`: one ARN whatever
        // the number of consumers (one per user passed IAM's 10,240 characters at about 100 consumers). No wider in
        // effect: end-to-end IAM, the proxy connects as the user a client authenticated as, and a client gets
        // through only with a token for `prx-<id>/<user>`, which only that consumer's connect role may sign. The
        // cluster is this stack's own, and only the users the bootstrap grants rds_iam (MySQL:
        // AWSAuthenticationPlugin) log in with IAM tokens at all.
        rolePolicy: (c) => ({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ConnectAsTheClustersUsers",
                    Effect: "Allow",
                    Action: "rds-db:connect",
                    Resource: `arn:${c.partition}:rds-db:${c.region}:${c.accountId}:dbuser:${c.clusterResourceId}/*`,
                },
            ],
        }),
    },

    databaseLogin: "iam-token",

    applicationPolicy: (r) => ({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AssumeDatabaseConnectRole",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Resource: r.connectRoleArn,
            },
        ],
    }),
    applicationApi: { service: "sts", purpose: "to assume the connect role" },
    applicationPolicyDescription: (producerStack) =>
        `Lets an application assume the database connect role of ${producerStack}`,
    credentialsNote: (r, user) =>
        `IAM: assume ${r.connectRoleArn} (attach the policy of output applicationPolicyArn to the ` +
        `application's role), sign an RDS auth token with those credentials for tokenHost and tokenPort, and ` +
        `send it as the password of user ${user}. Tokens live 15 minutes: sign one per new connection.`,

    examples: {
        signsTokens: true,
        endpointFields: (r, t) => ({
            tokenHost: t.token.host,
            tokenPort: t.token.port,
            tokenRegion: t.token.region,
            connectRoleArn: r.connectRoleArn,
        }),
        // The profile assumes the connect role with the application's own credentials, wherever those come from:
        // instance metadata (EC2), container credentials (ECS, Fargate; EKS Pod Identity, AWS CLI 2.15.0 / 1.30.0
        // or later), environment variables (Lambda, whose only writable place for the config file is /tmp), or a
        // web identity token (EKS IRSA: a profile of its own, then a chain). See docs/app-account.md.
        profile: (r) => {
            const role = `aws configure set profile.${PROFILE}.role_arn ${r.connectRoleArn}`;
            const source = (s: string) =>
                `${role} && aws configure set profile.${PROFILE}.credential_source ${s}`;
            return {
                ec2: source("Ec2InstanceMetadata"),
                ecs: source("EcsContainer"),
                eksPodIdentity: source("EcsContainer"),
                eksIrsa:
                    `aws configure set profile.pod.role_arn "$AWS_ROLE_ARN" && ` +
                    `aws configure set profile.pod.web_identity_token_file "$AWS_WEB_IDENTITY_TOKEN_FILE" && ` +
                    `${role} && aws configure set profile.${PROFILE}.source_profile pod`,
                lambda: `export AWS_CONFIG_FILE=/tmp/aws-config && ${source("Environment")}`,
            };
        },
        credentialCommand: (_r, t) =>
            `aws rds generate-db-auth-token --profile ${PROFILE} --hostname ${t.token.host} --port ${t.token.port} ` +
            `--username ${t.user} --region ${t.token.region}`,
        // The token is sent as a cleartext password, which the verified TLS session protects.
        mysqlCliFlags: "--enable-cleartext-plugin ",
        jdbc: (_r, t, base, tls) =>
            `${base}?user=${t.user}&wrapperPlugins=iam&iamHost=${t.token.host}&iamDefaultPort=${t.token.port}` +
            `&iamRegion=${t.token.region}&${tls}&tcpKeepAlive=true`,
        node: (r, t) => ({
            imports: [
                `import { Signer } from "@aws-sdk/rds-signer";`,
                `import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";`,
            ],
            setup: [
                `// Signed for the proxy's own name and port, which RDS checks the token against; dialled below.`,
                `const signer = new Signer({`,
                `    hostname: "${t.token.host}", port: ${t.token.port}, username: "${t.user}", region: "${t.token.region}",`,
                `    credentials: fromTemporaryCredentials({ params: { RoleArn: "${r.connectRoleArn}", RoleSessionName: "db-connect" } }),`,
                `});`,
            ],
            passwordOption:
                protocolOf(t.engine) === "mysql"
                    ? // The token is sent as a cleartext password, which the verified TLS session protects.
                      "authPlugins: { mysql_clear_password: () => async () => Buffer.from((await signer.getAuthToken()) + " +
                      '"\\0") },'
                    : "password: () => signer.getAuthToken(),",
        }),
    },
};
