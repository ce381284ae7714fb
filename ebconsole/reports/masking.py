"""Masking of customer data in reports (脱敏): the rules live in `ebconsole.masking`
(shared with the console and the command line); this module keeps the reports' name for
them."""

from ebconsole.masking import (
    MASKERS,
    STAR,
    Kind,
    Sensitive,
    account,
    id_number,
    mask,
    mask_account,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
    name,
    phone,
)

__all__ = [
    "MASKERS",
    "STAR",
    "Kind",
    "Sensitive",
    "account",
    "id_number",
    "mask",
    "mask_account",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_text",
    "name",
    "phone",
]
