/** Names the db-account stack gives its components, shared with the config rules that check what they derive. */

/** The ConsumerAccess component of one consumer: its children's names (and auto-named IAM roles) start with it. */
export function accessComponentName(stack: string, consumerName: string): string {
    return `${stack}-access-${consumerName}`;
}
