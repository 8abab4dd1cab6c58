/**
 * Publication of the proxy to the consumer accounts: over PrivateLink (internal NLB, IP target groups, endpoint
 * service for exact principals), or over VPC Lattice (resource gateway, resource configurations, one RAM share).
 */
export {
    EndpointService,
    LOAD_BALANCER_SUFFIX,
    type EndpointServiceArgs,
    type PublishedPort,
} from "./endpoint-service";
export { LatticePublication, type LatticeEndpoint, type LatticePublicationArgs } from "./lattice";
