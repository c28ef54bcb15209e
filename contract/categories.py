"""Entity types and the category each belongs to, as used by reports.

Categories group entity types by how much harm their exposure does:
special categories (GDPR Art. 9) and criminal data (Art. 10) weigh most.
"""

IDENTITY = "identity"
CONTACT = "contact"
FINANCIAL = "financial"
ONLINE = "online identifier"
CREDENTIAL = "credential"
SPECIAL = "special category"
CRIMINAL = "criminal offence"

CATEGORY = {
    "PERSON": IDENTITY,
    "DATE_OF_BIRTH": IDENTITY,
    "UK_NINO": IDENTITY,
    "UK_NHS": IDENTITY,
    "US_SSN": IDENTITY,
    "US_PASSPORT": IDENTITY,
    "US_DRIVER_LICENSE": IDENTITY,
    "UK_PASSPORT": IDENTITY,
    "PASSPORT": IDENTITY,  # from a passport's machine-readable zone
    "ID_CARD": IDENTITY,  # from an identity card's machine-readable zone
    "UK_DRIVING_LICENCE": IDENTITY,
    "CA_SIN": IDENTITY,
    "BE_NATIONAL_NUMBER": IDENTITY,
    "FR_NIR": IDENTITY,
    "NL_BSN": IDENTITY,
    "KR_RRN": IDENTITY,
    "DE_TAX_ID": IDENTITY,
    "ES_DNI": IDENTITY,
    "ES_NIE": IDENTITY,
    "IT_FISCAL_CODE": IDENTITY,
    "PL_PESEL": IDENTITY,
    "SE_PERSONNUMMER": IDENTITY,
    "FI_HETU": IDENTITY,
    "DK_CPR": IDENTITY,
    "NO_FODSELSNUMMER": IDENTITY,
    "IE_PPSN": IDENTITY,
    "PT_NIF": IDENTITY,
    "AT_SSN": IDENTITY,
    "NRP": IDENTITY,
    "EMAIL_ADDRESS": CONTACT,
    "PHONE_NUMBER": CONTACT,
    "STREET_ADDRESS": CONTACT,
    "POSTAL_CODE": CONTACT,  # a quasi-identifier: low sensitivity, as the rest of contact data
    "LOCATION": CONTACT,
    "CREDIT_CARD": FINANCIAL,
    "IBAN_CODE": FINANCIAL,
    "UK_BANK_ACCOUNT": FINANCIAL,
    "US_BANK_NUMBER": FINANCIAL,
    "IP_ADDRESS": ONLINE,
    "MAC_ADDRESS": ONLINE,
    "DEVICE_ID": ONLINE,
    "PASSWORD": CREDENTIAL,
    "CRIMINAL_OFFENCE": CRIMINAL,
}

SPECIAL_CATEGORIES = (
    "HEALTH", "RELIGION", "TRADE_UNION", "SEXUAL_ORIENTATION",
    "ETHNICITY", "POLITICAL", "BIOMETRIC", "GENETIC",
)
for _name in SPECIAL_CATEGORIES:
    CATEGORY["SPECIAL_CATEGORY_" + _name] = SPECIAL

# How much harm exposure of one record of a category does (risk scoring in reports).
SENSITIVITY = {
    SPECIAL: 10,
    CRIMINAL: 10,
    CREDENTIAL: 8,
    FINANCIAL: 6,
    IDENTITY: 5,
    CONTACT: 2,
    ONLINE: 1,
}


def category_of(entity_type: str) -> str:
    """The category of an entity type; unknown types count as identity data."""
    return CATEGORY.get(entity_type, IDENTITY)
