/**
 * The project's shared vocabulary: engines, ports, AWS identifier patterns, settings with their ranges and
 * defaults, the contract schema, and the one validation idiom (rules for values, shapes for structure). A leaf: it imports nothing of the project, and
 * stacks, components, the sync, the policy pack's tools and the tests import it.
 */
export * from "./access";
export * from "./aws-ids";
export * from "./cidr";
export * from "./contract";
export * from "./contract-rules";
export * from "./contract-versions";
export * from "./contract-dsql";
export * from "./database-names";
export * from "./dsql";
export * from "./engines";
export * from "./faults";
export * from "./identifiers";
export * from "./rules";
export * from "./settings";
export * from "./shapes";
export * from "./topology";
