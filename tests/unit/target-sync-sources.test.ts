/**
 * The eni source's paging and exact matching, with a stub EC2 client (moto returns every interface in one
 * page, so the NextToken loop is proven here rather than against moto).
 */
import * as assert from "node:assert/strict";
import type { SyncClients } from "../../components/target-sync/aws";
import { lookupEniIps } from "../../components/target-sync/sources/eni";

type Page = { NetworkInterfaces: Record<string, unknown>[]; NextToken?: string };

function stubClients(pages: Page[], seen: Record<string, unknown>[]): SyncClients {
    let i = 0;
    const ec2 = {
        send: async (command: { input: Record<string, unknown> }) => {
            seen.push(command.input);
            return pages[i++];
        },
    };
    return { ec2 } as unknown as SyncClients;
}

const VPC = "vpc-0123456789abcdef0";
const SUBNET = "subnet-0123456789abcdef0";
const SG = "sg-0123456789abcdef0";
const PLACEMENT = { vpcId: VPC, subnetIds: [SUBNET], securityGroupIds: [SG] };
const eni = (description: string, ips: string[], vpcId = VPC) => ({
    Description: description,
    VpcId: vpcId,
    SubnetId: SUBNET,
    Groups: [{ GroupId: SG }],
    RequesterManaged: true,
    PrivateIpAddress: ips[0],
    PrivateIpAddresses: ips.map((PrivateIpAddress) => ({ PrivateIpAddress })),
});

describe("target-sync eni source", () => {
    it("follows NextToken across pages and filters on the VPC and the exact description", async () => {
        const seen: Record<string, unknown>[] = [];
        const clients = stubClients(
            [
                {
                    NetworkInterfaces: [eni("Network interface for DBProxy app", ["10.0.0.1"])],
                    NextToken: "p2",
                },
                {
                    NetworkInterfaces: [
                        eni("Network interface for DBProxy app", ["10.0.0.2", "10.0.0.3"]),
                        // What a wildcard-matching filter could let through; the exact comparison drops them.
                        eni("Network interface for DBProxy app-2", ["10.0.0.9"]),
                        eni("Network interface for DBProxy app", ["10.9.0.1"], "vpc-0fffffffffffffff0"),
                    ],
                },
            ],
            seen,
        );
        assert.deepEqual(await lookupEniIps(clients, PLACEMENT, "app"), ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
        assert.equal(seen.length, 2);
        assert.deepEqual(seen[0].Filters, [
            { Name: "vpc-id", Values: [VPC] },
            { Name: "description", Values: ["Network interface for DBProxy app"] },
        ]);
        assert.equal(seen[0].NextToken, undefined);
        assert.equal(seen[1].NextToken, "p2");
    });

    it("returns an empty list (the caller turns it into an error) when nothing matches", async () => {
        const clients = stubClients([{ NetworkInterfaces: [] }], []);
        assert.deepEqual(await lookupEniIps(clients, PLACEMENT, "app"), []);
    });
});
