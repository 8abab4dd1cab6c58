"""
Runs moto's server (the same as the `moto_server` command) with three changes (two more with IAM enforcement on, below).
First: a network interface created with
the tag `moto:requester-managed` = `true` reports `RequesterManaged` true and `RequesterId` `amazon-rds`, as
EC2 reports the interfaces an AWS service (here RDS Proxy) creates on your behalf. moto reports every
interface as not requester-managed, and its API cannot create one that is; the sync refuses interfaces that
are not, so the tests mark their proxy fixtures with this tag.

A second change: RDS Proxy endpoints. moto 5.2 implements CreateDBProxy and DescribeDBProxies but no proxy endpoints;
the launcher adds CreateDBProxyEndpoint and DescribeDBProxyEndpoints (by DBProxyName and DBProxyEndpointName) with
the fields the sync's CLI reads (the endpoint's name, hostname, VPC, subnets, security groups, role), kept in memory
per account and region like moto's own models. Only the custom endpoints are listed, never the default one: the CLI
reads the default endpoint from DescribeDBProxies, so it works whichever AWS does.

A third change: DB parameters. moto knows no default parameter groups (`default.postgres16`, …), which every RDS
database without a custom group uses and which RDS describes like any other; the launcher answers
DescribeDBParameters and DescribeDBClusterParameters for a `default.` group moto does not have with no parameters
(what a group that sets none reports: the existing-database lookup then says the engine's default applies). And moto
answers both calls in one page; the launcher pages them as RDS does, by `MaxRecords` (default 100, RDS API
Reference) and `Marker`, so that the lookup's paging is exercised.

With IAM enforcement on (the environment variable INITIAL_NO_AUTH_ACTION_COUNT set, moto's own switch: after
that many requests every request must be signed by a known access key and is checked against the caller's IAM
policies), a second change: moto checks only the action of a request against the policies' Action elements and
evaluates every request of these services against the resource "*", so a statement scoped to an ARN never
matches and a policy cannot be proven as written. This launcher gives moto the resource AWS authorizes for the
resource-level actions the sync makes (Service Authorization Reference, "Actions, resources, and condition keys
for Elastic Load Balancing V2" and "... for Amazon DynamoDB"):
- elasticloadbalancing:RegisterTargets, DeregisterTargets: the request's target group ARN;
- elasticloadbalancing:AddTags, RemoveTags: the request's (first) resource ARN;
- dynamodb:GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, DescribeTable: the table's ARN.
Every other action stays evaluated against "*" (what AWS does for actions without resource types, such as the
ELBv2 and EC2 Describe actions). Conditions are still not evaluated (moto evaluates them only for AssumeRole).
And a third: moto answers a denied DynamoDB or Secrets Manager request in XML, which a JSON-protocol client cannot
read; the launcher answers it as those services do, in JSON with the type AccessDeniedException.

Usage: python3 moto_server.py -H 127.0.0.1 -p PORT (the options of moto_server).
"""

import inspect
import os
import sys

from moto.ec2.models import ec2_backends, elastic_network_interfaces
from moto.server import main

MARK_TAG = "moto:requester-managed"

_NetworkInterface = elastic_network_interfaces.NetworkInterface
_original_init = _NetworkInterface.__init__
_signature = inspect.signature(_original_init)


def _init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    tags = _signature.bind(self, *args, **kwargs).arguments.get("tags") or {}
    if tags.get(MARK_TAG) == "true":
        self.requester_managed = True
        self.requester_id = "amazon-rds"


_NetworkInterface.__init__ = _init

_PROXY_ENDPOINTS = {}


def _proxy_endpoints(self):
    return _PROXY_ENDPOINTS.setdefault((self.current_account, self.region), {})


def _create_db_proxy_endpoint(self):
    import random
    import string

    from moto.core.responses import ActionResult

    params = self.params
    proxy = self.backend.describe_db_proxies(params["DBProxyName"])[0]
    subnets = list(params["VpcSubnetIds"])
    ec2 = ec2_backends[self.current_account][self.region]
    vpc_id = ec2.describe_subnets(subnet_ids=subnets[:1])[0].vpc_id
    name = params["DBProxyEndpointName"]
    suffix = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(17))
    endpoint = {
        "DBProxyEndpointName": name,
        "DBProxyEndpointArn": f"arn:aws:rds:{self.region}:{self.current_account}:db-proxy-endpoint:prx-endpoint-{suffix}",
        "DBProxyName": proxy.db_proxy_name,
        "Status": "available",
        "VpcId": vpc_id,
        "VpcSecurityGroupIds": list(params.get("VpcSecurityGroupIds") or proxy.vpc_security_group_ids),
        "VpcSubnetIds": subnets,
        "Endpoint": f"{name}.endpoint.proxy-{proxy.url_identifier}.{self.region}.rds.amazonaws.com",
        "TargetRole": params.get("TargetRole") or "READ_WRITE",
        "IsDefault": False,
    }
    _proxy_endpoints(self)[name] = endpoint
    return ActionResult({"DBProxyEndpoint": endpoint})


def _describe_db_proxy_endpoints(self):
    from moto.core.responses import ActionResult

    params = self.params
    endpoints = list(_proxy_endpoints(self).values())
    if params.get("DBProxyName"):
        self.backend.describe_db_proxies(params["DBProxyName"])  # DBProxyNotFoundFault, as AWS answers
        endpoints = [e for e in endpoints if e["DBProxyName"] == params["DBProxyName"]]
    if params.get("DBProxyEndpointName"):
        endpoints = [e for e in endpoints if e["DBProxyEndpointName"] == params["DBProxyEndpointName"]]
    return ActionResult({"DBProxyEndpoints": endpoints})


def _add_proxy_endpoints():
    from moto.rds.responses import RDSResponse

    RDSResponse.create_db_proxy_endpoint = _create_db_proxy_endpoint
    RDSResponse.describe_db_proxy_endpoints = _describe_db_proxy_endpoints


_add_proxy_endpoints()


PARAMETER_PAGE = 100


def _parameter_page(self, parameters):
    """One page of `parameters` by the request's MaxRecords and Marker (an offset here, opaque to clients)."""
    from moto.core.responses import ActionResult

    params = self.params
    size = int(params.get("MaxRecords") or PARAMETER_PAGE)
    start = int(params.get("Marker") or 0)
    page = {"Parameters": list(parameters)[start : start + size]}
    if start + size < len(parameters):
        page["Marker"] = str(start + size)
    return ActionResult(page)


def _describe_db_parameters(self):
    name = self.params.get("DBParameterGroupName")
    groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
    if not groups and str(name).startswith("default."):
        return _parameter_page(self, [])
    if not groups:
        from moto.rds.exceptions import DBParameterGroupNotFoundError

        raise DBParameterGroupNotFoundError(name)
    return _parameter_page(self, list(groups[0].parameters.values()))


def _describe_db_cluster_parameters(self):
    name = self.params.get("DBClusterParameterGroupName")
    if name not in self.backend.db_cluster_parameter_groups and str(name).startswith("default."):
        return _parameter_page(self, [])
    return _parameter_page(self, self.backend.describe_db_cluster_parameters(name))


def _add_parameter_paging():
    from moto.rds.responses import RDSResponse

    RDSResponse.describe_db_parameters = _describe_db_parameters
    RDSResponse.describe_db_cluster_parameters = _describe_db_cluster_parameters


_add_parameter_paging()

ELBV2_TARGET_GROUP_ACTIONS = {"RegisterTargets", "DeregisterTargets"}
ELBV2_TAG_ACTIONS = {"AddTags", "RemoveTags"}
DYNAMODB_TABLE_ACTIONS = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "DescribeTable"}


def _first(values):
    if isinstance(values, list):
        return values[0] if values else None
    return values


def _elbv2_resource(self):
    action = self._get_action()
    if action in ELBV2_TARGET_GROUP_ACTIONS:
        arn = _first(self.querystring.get("TargetGroupArn"))
    elif action in ELBV2_TAG_ACTIONS:
        arn = _first(self.querystring.get("ResourceArns.member.1"))
    else:
        return "*"
    return arn or "*"


def _dynamodb_resource(self):
    if self._get_action() not in DYNAMODB_TABLE_ACTIONS:
        return "*"
    params = getattr(self, "params", None) or {}
    table = params.get("TableName") if isinstance(params, dict) else None
    if not table:
        return "*"
    if table.startswith("arn:"):
        return table
    return f"arn:aws:dynamodb:{self.region}:{self.current_account}:table/{table}"


def _json_denials(base):
    """`base` (a handler's authorization), answering a denial in JSON as a JSON-protocol service does."""

    def authorize(self, resource="*"):
        from moto.core.exceptions import JsonRESTError, _RESTError

        try:
            base(self, resource)
        except _RESTError as err:
            if isinstance(err, JsonRESTError):
                raise
            error_type = "AccessDeniedException" if err.error_type == "AccessDenied" else err.error_type
            json_err = JsonRESTError(error_type, err.message)
            json_err.code = err.code
            raise json_err from err

    return authorize


def enable_resource_level_iam():
    """Gives moto the resource of each resource-level action above, and DynamoDB's and Secrets Manager's JSON denials."""
    from moto.dynamodb.responses import DynamoHandler
    from moto.elbv2.responses import ELBV2Response
    from moto.secretsmanager.responses import SecretsManagerResponse

    ELBV2Response._determine_resource = _elbv2_resource
    DynamoHandler._determine_resource = _dynamodb_resource
    for handler in (DynamoHandler, SecretsManagerResponse):
        handler._authenticate_and_authorize_normal_action = _json_denials(
            handler._authenticate_and_authorize_normal_action
        )


if os.environ.get("INITIAL_NO_AUTH_ACTION_COUNT"):
    enable_resource_level_iam()

if __name__ == "__main__":
    main(sys.argv[1:])
