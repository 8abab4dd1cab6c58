/**
 * A small HTTP proxy in front of moto that answers chosen API actions with AWS throttling errors a given
 * number of times, then forwards. Loopback only.
 */
import * as http from "node:http";

export interface ThrottleProxy {
    readonly url: string;
    /** Throttles the next `times` requests whose action (query `Action=` or JSON X-Amz-Target) is `action`. */
    throttle(action: string, times: number): void;
    /** Throttling answers sent so far, by action. */
    readonly throttled: Map<string, number>;
    /** Every request seen, by action (throttled or forwarded). */
    readonly seen: Map<string, number>;
    stop(): Promise<void>;
}

function actionOf(req: http.IncomingMessage, body: string): string {
    const target = req.headers["x-amz-target"];
    if (typeof target === "string") {
        return target.split(".").pop() ?? "";
    }
    return new URLSearchParams(body).get("Action") ?? "";
}

export async function startThrottleProxy(upstream: string): Promise<ThrottleProxy> {
    const pending = new Map<string, number>();
    const throttled = new Map<string, number>();
    const seen = new Map<string, number>();
    const target = new URL(upstream);
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const action = actionOf(req, body.toString("utf8"));
            seen.set(action, (seen.get(action) ?? 0) + 1);
            const left = pending.get(action) ?? 0;
            if (left > 0) {
                pending.set(action, left - 1);
                throttled.set(action, (throttled.get(action) ?? 0) + 1);
                // The ELBv2/EC2 query-protocol error shape; "Throttling" is a throttling code to every AWS SDK.
                res.writeHead(400, { "content-type": "text/xml" });
                res.end(
                    `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttle-${action}</RequestId></ErrorResponse>`,
                );
                return;
            }
            const up = http.request(
                {
                    host: target.hostname,
                    port: target.port,
                    method: req.method,
                    path: req.url,
                    headers: { ...req.headers, host: `${target.hostname}:${target.port}` },
                },
                (upRes) => {
                    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
                    upRes.pipe(res);
                },
            );
            up.on("error", (err) => {
                res.writeHead(502);
                res.end(String(err));
            });
            up.end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as import("node:net").AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}`,
        throttle(action, times) {
            pending.set(action, times);
        },
        throttled,
        seen,
        async stop() {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
