/**
 * Entry point of the rds-cross-account program: runs the stack selected by `rds-cross-account:role`
 * (see stacks/index.ts). The exported promise's value becomes the stack's outputs.
 */
import { main } from "./stacks";

export = main();
