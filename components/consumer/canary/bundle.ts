/** The canary Lambda's code: handler.ts with pg, mysql2, the STS and Secrets Manager clients and the RDS signer. */
import { bundleLambda } from "../../bundle";

/** Bundles the canary handler into one CommonJS file, once per process. */
export function bundleCanaryHandler(): string {
    // pg loads its optional native binding (pg-native) only when asked to; the canary never asks.
    return bundleLambda(__dirname, "handler", ["pg-native"]);
}
