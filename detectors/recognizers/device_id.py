"""Device identifiers: IMEIs (Luhn) and advertising IDs / UUIDs next to device context.

A UUID is usually a database key, not a person's device; it counts only when
the text calls it an advertising or device ID. A bare 15-digit Luhn number
also needs a word like "IMEI"; the dashed IMEI layout stands alone.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import luhn_ok

_WORDS = ["imei", "device id", "device", "advertising id", "ad id", "idfa", "gaid", "aaid", "adid", "android id",
          "android_id", "device_id", "advertising_id", "handset", "idfv", "deviceid", "imeisv"]


class DeviceIdRecognizer(LogicRecognizer):
    """Finds IMEIs and device-labelled advertising IDs."""

    ENTITY = "DEVICE_ID"
    PATTERNS = [
        LogicPattern("imei dashed", r"(?<![\d-])\d{2}-\d{6}-\d{6}-\d(?![\d-])", 0.6),
        LogicPattern("imei bare", r"(?<![\d-])\d{15}(?![\d-])", WEAK),
        LogicPattern("uuid", r"(?<![\w-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])", WEAK),
    ]
    CONTEXT = _WORDS
    ANCHORS = [r"\d{2}-\d{6}-\d{6}-\d",
               keyword_anchor([r"\bimei", r"\bdevice\b", r"\bhandset\b", r"device.?id", r"advertis\w*.?id", r"\bidfa\b", r"\bgaid\b", r"\baaid\b",
                               r"\badid\b", r"android.?id", r"\bidfv\b", r"\bad.?id\b"])]
    MAX_MATCH = 120
    CONTEXT_BEFORE = 40

    def score_match(self, match, score, text):
        """IMEIs must pass Luhn; UUIDs of all zeros are placeholders."""
        value = match.group()
        if "-" not in value or value.count("-") == 3:
            return score if luhn_ok(value) else None
        return None if set(value.replace("-", "")) == {"0"} else score
