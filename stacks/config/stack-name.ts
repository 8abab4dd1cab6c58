/** The db-account stack's own name: every resource name of the stack starts with it. */
import { render } from "../../vocabulary";
import { MAX_STACK_NAME_LENGTH } from "../names";
import { Problems } from "./read";

/**
 * Stack names every derived name can carry: RDS identifiers (the final snapshot's, the cluster's) take letters,
 * digits and single hyphens, start with a letter and do not end with a hyphen, and RDS stores them in lower case.
 */
const STACK_NAME = /^[a-z](?:-?[a-z0-9])*$/;

/** Checks the stack's own name, which every resource name of this stack starts with. */
export function checkStackName(problems: Problems): void {
    const name = problems.stackName;
    if (STACK_NAME.test(name) && name.length <= MAX_STACK_NAME_LENGTH) return;
    problems.add({
        path: "stack",
        message:
            `Stack name ${render(name)} is ${name.length} characters, but it must be at most ` +
            `${MAX_STACK_NAME_LENGTH} lower-case letters, digits and single hyphens, starting with a letter and not ` +
            `ending with a hyphen: every resource name of the db-account stack starts with it, and RDS identifiers ` +
            `and the 32-character load balancer and target group names must hold it. Create the stack under such a ` +
            `name (pulumi stack rename <name> before the first pulumi up, or pulumi stack init <name>).`,
    });
}
