/** Network pieces of an isolated VPC: private access to the AWS APIs the in-VPC functions call. */
export {
    AWS_API_SERVICES,
    AwsApiEndpoints,
    DEFAULT_AWS_API_SERVICES,
    type AwsApiEndpointsArgs,
    type AwsApiService,
    type ReusedApiEndpoints,
    type ReusedGatewayEndpoint,
    type ReusedInterfaceEndpoint,
} from "./aws-api-endpoints";
