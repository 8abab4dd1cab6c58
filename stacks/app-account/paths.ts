/**
 * The connectivity axis on the consumer's side (vocabulary/topology.ts): the consumer follows the path the producer's
 * contract says (`connectivity.kind`), and each path is one entry of `SUBSCRIBERS`, as each is one entry of the
 * producer's `PUBLISHERS` (stacks/db-account/connectivity.ts): which regions it may be deployed in, which AZs a new
 * VPC prefers and which subnets its endpoints take, and the endpoints, names and outputs it builds (./path-kit.ts).
 */
import type { ZoneMatch } from "../../components/consumer";
import type { Contract, ContractConnectivity } from "../../vocabulary";
import type { Problems } from "../config/read";
import type { NetworkPlan } from "../network";
import { latticeSubscriber } from "./lattice";
import type { BuildContext, PathContext, Subscriber, Subscription } from "./path-kit";
import { privateLinkSubscriber } from "./privatelink";

export type { PathContext, Subscription } from "./path-kit";

type PathOf<K extends ContractConnectivity["kind"]> = Extract<ContractConnectivity, { kind: K }>;

/** Every path the consumer follows, by the contract's `connectivity.kind`. */
export const SUBSCRIBERS: { readonly [K in ContractConnectivity["kind"]]: Subscriber<PathOf<K>> } = {
    "privatelink-nlb": privateLinkSubscriber,
    "vpc-lattice": latticeSubscriber,
};

/** The contract's path with its subscriber, so that the stack calls it without naming the path. */
export interface BoundSubscriber {
    readonly kind: ContractConnectivity["kind"];
    readonly endpointNoun: string;
    readonly dnsNeeds: string;
    checkRegion(context: PathContext, problems: Problems): void;
    preferAzIds(context: PathContext): readonly string[];
    place(context: PathContext, plan: NetworkPlan, problems: Problems): ZoneMatch | undefined;
    subscribe(context: PathContext, build: BuildContext): Subscription;
}

/** The subscriber of `contract`'s path. */
export function subscriberOf(contract: Contract): BoundSubscriber {
    const path = contract.connectivity;
    // The registry is keyed by kind, so the entry's path type is the contract's; TypeScript cannot follow it.
    const s = SUBSCRIBERS[path.kind] as Subscriber;
    return {
        kind: path.kind,
        endpointNoun: s.endpointNoun,
        dnsNeeds: s.dnsNeeds,
        checkRegion: (context, problems) => s.checkRegion(context, path, problems),
        preferAzIds: (context) => s.preferAzIds(context, path),
        place: (context, plan, problems) => s.place(context, path, plan, problems),
        subscribe: (context, build) => s.subscribe(context, path, build),
    };
}
