"""The SNS envelope Amazon wraps SES notifications in when they are delivered by email."""
from __future__ import annotations

import json


def sns_envelope(message: str) -> str:
    doc = {"Type": "Notification", "MessageId": "b1e3c1d2-0000-5000-8000-000000000001",
           "TopicArn": "arn:aws:sns:eu-west-1:123456789012:ses-bounces", "Message": message,
           "Timestamp": "2026-12-09T10:05:04.000Z", "SignatureVersion": "1", "Signature": "c2lnbmF0dXJl",
           "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService.pem",
           "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:x"}
    return json.dumps(doc, indent=2) + ("\n\n--\nIf you wish to stop receiving notifications from this topic, please "
                                        "click or visit the link below to unsubscribe:\n" + doc["UnsubscribeURL"] +
                                        "\n\nPlease do not reply directly to this email. If you have any questions or "
                                        "comments regarding this email, please contact us at "
                                        "https://aws.amazon.com/support")
