/** Publication over PrivateLink: internal NLB, IP target groups, endpoint service for exact principals. */
export { EndpointService, type EndpointServiceArgs, type PublishedPort } from "./endpoint-service";
