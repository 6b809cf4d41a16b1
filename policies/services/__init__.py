"""IAM operations on policies, one function per AWS operation (acting Caller first).

Split by concern so several people can work at once; import from here.
"""
