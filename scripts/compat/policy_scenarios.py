"""boto3 bucket policy scenarios against a running standalone s3d: storage, AWS's validation errors
(code and HTTP status), NoSuchBucketPolicy and the policy status.

Usage: python3 policy_scenarios.py ENDPOINT BUCKET
Prints PASS/FAIL per scenario; exits 1 if any failed. Credentials come from AWS_* variables.
"""
import json

from scenario_kit import bucket, error_of, finish, s3, scenario

s3.create_bucket(Bucket=bucket)
arn = f"arn:aws:s3:::{bucket}"


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


def read_public(resource=f"{arn}/*", **extra):
    return dict({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": resource}, **extra)


def refused(policy, message):
    answer = error_of(lambda: s3.put_bucket_policy(Bucket=bucket, Policy=policy))
    assert answer["Error"]["Code"] == "MalformedPolicy", answer["Error"]
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 400, answer["ResponseMetadata"]
    assert message in answer["Error"]["Message"], answer["Error"]["Message"]


@scenario("get-bucket-policy without one is NoSuchBucketPolicy 404")
def none_yet():
    answer = error_of(lambda: s3.get_bucket_policy(Bucket=bucket))
    assert answer["Error"]["Code"] == "NoSuchBucketPolicy", answer["Error"]
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 404
    answer = error_of(lambda: s3.get_bucket_policy_status(Bucket=bucket))
    assert answer["Error"]["Code"] == "NoSuchBucketPolicy", answer["Error"]


@scenario("put stores the document as sent; get returns it; status says public")
def round_trip():
    policy = document(read_public(Sid="PublicRead"))
    put = s3.put_bucket_policy(Bucket=bucket, Policy=policy)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 204, put["ResponseMetadata"]
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == policy
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True


@scenario("a narrowing SourceIp condition makes it not public")
def not_public():
    s3.put_bucket_policy(Bucket=bucket, Policy=document(read_public(
        Condition={"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}})))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is False


@scenario("validation errors as AWS: MalformedPolicy 400 with AWS's messages")
def validation():
    refused("not json", "Policies must be valid JSON and the first byte must be '{'")
    refused(document(read_public(resource="arn:aws:s3:::someone-elses/*")), "Policy has invalid resource")
    refused(document(dict(read_public(), Action="s3:GetObjekt")), "Policy has invalid action")
    refused(document(dict(read_public(), Action="s3:ListBucket")),
            "Action does not apply to any resource(s) in statement")
    refused(document(dict(read_public(), Principal={"Service": "logging.s3.amazonaws.com"})),
            "Invalid principal in policy")
    no_principal = read_public()
    del no_principal["Principal"]
    refused(document(no_principal), "Missing required field Principal")
    refused(document(read_public(Condition={"StringEquals": {"aws:Referer": "https://example.com/"}})),
            "aws:Referer")
    refused(document(read_public(Condition={"ArnLike": {"aws:SourceArn": "arn:aws:sns:*"}})), "ArnLike")
    refused(document(*[read_public(Sid=f"s{i}", Condition={"StringLike": {"s3:prefix": "x" * 200}})
                       for i in range(100)]), "Policy exceeds the maximum allowed document size")


@scenario("a refused policy leaves the stored one in place")
def refused_keeps():
    before = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    refused(document(read_public(resource="arn:aws:s3:::someone-elses/*")), "Policy has invalid resource")
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == before


@scenario("delete-bucket-policy is 204, then NoSuchBucketPolicy; deleting none succeeds")
def delete():
    assert s3.delete_bucket_policy(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert error_of(lambda: s3.get_bucket_policy(Bucket=bucket))["Error"]["Code"] == "NoSuchBucketPolicy"
    assert s3.delete_bucket_policy(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204


@scenario("a policy goes with its bucket")
def goes_with_bucket():
    s3.put_bucket_policy(Bucket=bucket, Policy=document(read_public()))
    s3.delete_bucket(Bucket=bucket)
    s3.create_bucket(Bucket=bucket)
    assert error_of(lambda: s3.get_bucket_policy(Bucket=bucket))["Error"]["Code"] == "NoSuchBucketPolicy"


s3.delete_bucket(Bucket=bucket)
finish("policy (boto3)")
