// Assembles the CrossGuard pack. The rules live in rules/, one module per family, and policies.ts lists them; this
// file is the one module that calls `new PolicyPack` (which starts the analyzer server), so nothing imports it.
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("rds-cross-account", {
    enforcementLevel: "mandatory",
    policies: [...POLICIES],
});
