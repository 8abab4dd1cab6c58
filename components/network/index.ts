/** Network pieces of an isolated VPC: private access to the AWS APIs the in-VPC functions call. */
export {
    AWS_API_SERVICES,
    AwsApiEndpoints,
    DEFAULT_AWS_API_SERVICES,
    type AwsApiEndpointsArgs,
    type AwsApiService,
} from "./aws-api-endpoints";
