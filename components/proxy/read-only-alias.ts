/** The name clients dial for a proxy's read-only endpoint, which the proxy's certificate covers. */

/** The longest DNS label (RFC 1035), which the read-only alias's first label must fit. */
const MAX_LABEL = 63;

/**
 * The read-only endpoint's alias: the writer's name with `-ro` on its first label, so one label under
 * `proxy-<id>.<region>.rds.<suffix>` like the writer, which the proxy's wildcard certificate covers.
 */
export function readOnlyAliasOf(writerEndpoint: string): string {
    const dot = writerEndpoint.indexOf(".");
    const label = `${writerEndpoint.slice(0, dot)}-ro`;
    if (dot <= 0 || label.length > MAX_LABEL) {
        throw new Error(
            `The read-only alias of proxy endpoint ${writerEndpoint} would have a first label of ${label.length} ` +
                `characters, but a DNS label holds at most ${MAX_LABEL}. Give the proxy a shorter name.`,
        );
    }
    return label + writerEndpoint.slice(dot);
}
