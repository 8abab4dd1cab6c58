/**
 * A programmable DNS server on loopback (UDP and TCP on one port, so large answers truncated over UDP are
 * retried over TCP as real resolvers do), for the `dns` IP source. Each name answers as configured: A
 * records, an empty NOERROR answer, SERVFAIL or NXDOMAIN; unknown names get NXDOMAIN.
 */
import dns2 from "dns2";
import { freePort } from "./moto";

/** How one name answers. */
export type DnsAnswer = { readonly ips: readonly string[] } | { readonly rcode: "SERVFAIL" | "NXDOMAIN" };

export interface DnsServer {
    /** `127.0.0.1:PORT`, the form the sync's dnsServer option takes. */
    readonly address: string;
    /** Sets (or replaces) how `name` answers. */
    set(name: string, answer: DnsAnswer): void;
    /** Queries received so far, by name. */
    readonly queries: Map<string, number>;
    stop(): Promise<void>;
}

export async function startDnsServer(): Promise<DnsServer> {
    const zone = new Map<string, DnsAnswer>();
    const queries = new Map<string, number>();
    const { Packet } = dns2;
    // RFC 1035 §4.1.1 response codes (dns2 has them as Packet.RCODE, missing from its type declarations).
    const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;
    const server = dns2.createServer({
        udp: true,
        tcp: true,
        handle: (request, send) => {
            const response = Packet.createResponseFromRequest(request) as ReturnType<
                typeof Packet.createResponseFromRequest
            > & { header: { rcode: number; aa: number } };
            const question = request.questions[0];
            const name = question.name.toLowerCase().replace(/\.$/, "");
            queries.set(name, (queries.get(name) ?? 0) + 1);
            const answer = zone.get(name);
            response.header.aa = 1;
            if (!answer) {
                response.header.rcode = RCODE.NXDOMAIN;
            } else if ("rcode" in answer) {
                response.header.rcode = RCODE[answer.rcode];
            } else if ((question as { type?: number }).type === Packet.TYPE.A) {
                for (const address of answer.ips) {
                    const record = {
                        name: question.name,
                        type: Packet.TYPE.A,
                        class: Packet.CLASS.IN,
                        ttl: 5,
                        address,
                    };
                    response.answers.push(record as unknown as (typeof response.answers)[number]);
                }
            }
            void send(response);
        },
    });
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
        const port = await freePort();
        try {
            await server.listen({ udp: { port, address: "127.0.0.1" }, tcp: { port, address: "127.0.0.1" } });
            return {
                address: `127.0.0.1:${port}`,
                set(name, answer) {
                    zone.set(name.toLowerCase().replace(/\.$/, ""), answer);
                },
                queries,
                async stop() {
                    await server.close();
                },
            };
        } catch (err) {
            // The UDP side of a port found free over TCP may be taken; try another.
            lastError = err;
        }
    }
    throw new Error(`Could not start the test DNS server: ${String(lastError)}`);
}
