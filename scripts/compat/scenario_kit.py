"""What the boto3 scenario scripts share: the client for the endpoint and bucket given on the command
line, a decorator that runs a scenario and prints PASS/FAIL, the error answer of a call that must fail,
and the closing line and exit status.

Usage, from a script in this directory: ``from scenario_kit import s3, bucket, scenario, error_of, finish``.
"""
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
failures = 0


def scenario(name):
    def wrap(fn):
        global failures
        try:
            fn()
            print(f"PASS boto3 {name}")
        except Exception as e:  # report and go on: every scenario gets its line
            failures += 1
            print(f"FAIL boto3 {name}: {type(e).__name__}: {e}")
        return fn
    return wrap


def error_of(call):
    try:
        call()
    except ClientError as e:
        return e.response
    raise AssertionError("the call succeeded")


def finish(label):
    print(f"{label}: {failures} failure(s)")
    sys.exit(1 if failures else 0)
