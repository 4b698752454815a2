"""Detections over CloudTrail events: Sigma rules (data, built-in and the user's) and
correlations in code, all producing :class:`Finding`. Never imports textual."""

from awsir_tui.detect.engine import Detector
from awsir_tui.detect.finding import SEVERITIES, Finding, severity_rank
from awsir_tui.detect.sigma_rules import CompiledRule, load_builtin_rules, load_rules

__all__ = [
    "SEVERITIES",
    "CompiledRule",
    "Detector",
    "Finding",
    "load_builtin_rules",
    "load_rules",
    "severity_rank",
]
