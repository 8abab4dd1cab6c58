#!/usr/bin/env node
/**
 * A stand-in for the AWS CLI in tests, installed as `aws` on PATH, for the one command the password examples run:
 *
 *   aws secretsmanager get-secret-value --secret-id <arn> --region <region> --query SecretString --output text
 *
 * It checks the arguments exactly (any other command, option or order fails with a message), reads the secret
 * with the AWS SDK from the local emulator named by AWS_ENDPOINT_URL (loopback only: it refuses any other
 * endpoint, so it can never reach AWS), and prints the secret string followed by a newline, as the CLI's text
 * output does for a string. What it does not prove: the real CLI's option parsing and credential chain.
 */
"use strict";
const { GetSecretValueCommand, SecretsManagerClient } = require("@aws-sdk/client-secrets-manager");

function fail(message) {
    process.stderr.write(`aws (test stand-in): ${message}\n`);
    process.exit(2);
}

const args = process.argv.slice(2);
const shape = [
    "secretsmanager",
    "get-secret-value",
    "--secret-id",
    undefined,
    "--region",
    undefined,
    "--query",
    "SecretString",
    "--output",
    "text",
];
if (args.length !== shape.length || shape.some((want, i) => want !== undefined && args[i] !== want)) {
    fail(
        `unsupported arguments: ${JSON.stringify(args)}. Supported: secretsmanager get-secret-value ` +
            "--secret-id <arn> --region <region> --query SecretString --output text",
    );
}
const [secretId, region] = [args[3], args[5]];
const endpoint = process.env.AWS_ENDPOINT_URL ?? "";
if (!/^http:\/\/127\.0\.0\.1:\d+\/?$/.test(endpoint)) {
    fail(
        `AWS_ENDPOINT_URL is ${JSON.stringify(endpoint)}; it must be a local emulator at http://127.0.0.1:<port>.`,
    );
}
new SecretsManagerClient({ region, endpoint })
    .send(new GetSecretValueCommand({ SecretId: secretId }))
    .then((out) => {
        if (out.SecretString === undefined) fail(`secret ${secretId} has no SecretString`);
        process.stdout.write(`${out.SecretString}\n`);
    })
    .catch((err) => fail(`GetSecretValue ${secretId} failed: ${err.name}: ${err.message}`));
