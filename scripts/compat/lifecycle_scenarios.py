"""boto3 lifecycle scenarios against a running standalone s3d whose lifecycle job runs often.

Usage: python3 lifecycle_scenarios.py ENDPOINT BUCKET
Prints PASS/FAIL per scenario; exits 1 if any failed. Credentials come from AWS_* variables.
"""
import time
from datetime import datetime, timedelta, timezone

from scenario_kit import bucket, error_of, finish, s3, scenario


def put_rules(*rules):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": list(rules)})


def versions(prefix):
    listed = s3.list_object_versions(Bucket=bucket, Prefix=prefix)
    return listed.get("Versions", []), listed.get("DeleteMarkers", [])


def eventually(check, what):
    for _ in range(60):
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(what)


yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
s3.create_bucket(Bucket=bucket)
s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


@scenario("put and get keep every action and filter")
def round_trip():
    put_rules({"ID": "tagged", "Status": "Disabled",
               "Filter": {"And": {"Prefix": "a/", "Tags": [{"Key": "k", "Value": "v"}],
                                  "ObjectSizeGreaterThan": 1, "ObjectSizeLessThan": 1000}},
               "Expiration": {"Days": 3}, "NoncurrentVersionExpiration": {"NoncurrentDays": 2,
                                                                          "NewerNoncurrentVersions": 1}},
              {"ID": "markers", "Status": "Disabled", "Filter": {"Prefix": ""},
               "Expiration": {"ExpiredObjectDeleteMarker": True}})
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [r["ID"] for r in rules] == ["tagged", "markers"], rules
    assert rules[0]["Filter"]["And"]["Tags"] == [{"Key": "k", "Value": "v"}], rules[0]
    assert rules[0]["Filter"]["And"]["ObjectSizeLessThan"] == 1000, rules[0]
    assert rules[0]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 2, "NewerNoncurrentVersions": 1}, rules[0]
    assert rules[1]["Expiration"] == {"ExpiredObjectDeleteMarker": True}, rules[1]


@scenario("Transition is NotImplemented, Days with ExpiredObjectDeleteMarker MalformedXML")
def refusals():
    e = error_of(lambda: put_rules({"ID": "t", "Status": "Enabled", "Filter": {},
                                    "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}]}))
    assert e["Error"]["Code"] == "NotImplemented" and e["ResponseMetadata"]["HTTPStatusCode"] == 501, e
    e = error_of(lambda: put_rules({"ID": "m", "Status": "Enabled", "Filter": {},
                                    "Expiration": {"Days": 1, "ExpiredObjectDeleteMarker": True}}))
    assert e["Error"]["Code"] == "MalformedXML", e
    e = error_of(lambda: put_rules({"ID": "u", "Status": "Enabled", "Filter": {"Tag": {"Key": "k", "Value": "v"}},
                                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}))
    assert e["Error"]["Code"] == "InvalidRequest", e


@scenario("a Date rule in a versioned bucket hides the object behind a delete marker, then the marker rule")
def versioned_expiry():
    first = s3.put_object(Bucket=bucket, Key="old/a", Body=b"a")["VersionId"]
    put_rules({"ID": "old", "Status": "Enabled", "Filter": {"Prefix": "old/"},
               "Expiration": {"Date": yesterday}})
    eventually(lambda: len(versions("old/")[1]) == 1, "no delete marker on old/a")
    kept, markers = versions("old/")
    assert [v["VersionId"] for v in kept] == [first], kept
    assert markers[0]["IsLatest"], markers
    s3.delete_object(Bucket=bucket, Key="old/a", VersionId=first)
    put_rules({"ID": "markers", "Status": "Enabled", "Filter": {"Prefix": "old/"},
               "Expiration": {"ExpiredObjectDeleteMarker": True}})
    eventually(lambda: versions("old/") == ([], []), "the lone delete marker stayed")


@scenario("put_object and head_object carry Expiration for a Days rule")
def expiration_header():
    put_rules({"ID": "week", "Status": "Enabled", "Filter": {"Prefix": "w/"}, "Expiration": {"Days": 7}})
    put = s3.put_object(Bucket=bucket, Key="w/a", Body=b"a")
    assert 'rule-id="week"' in put["Expiration"], put
    head = s3.head_object(Bucket=bucket, Key="w/a")
    assert head["Expiration"] == put["Expiration"], head


s3.delete_bucket_lifecycle(Bucket=bucket)
kept, markers = versions("")
for v in kept + markers:
    s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
s3.delete_bucket(Bucket=bucket)
finish("boto3 lifecycle")
