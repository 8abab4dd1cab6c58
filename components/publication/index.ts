/** Publication over PrivateLink: internal NLB, IP target groups, endpoint service for exact principals. */
export {
    EndpointService,
    LOAD_BALANCER_SUFFIX,
    type EndpointServiceArgs,
    type PublishedPort,
} from "./endpoint-service";
