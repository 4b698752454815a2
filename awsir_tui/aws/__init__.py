"""The data layer: every AWS call the app makes, over boto3, without textual.

`context.AwsContext` owns the session and the clients; `guard` is the one choke point
every call passes; `fanout` runs one call across regions and keeps each region's
outcome apart.
"""
