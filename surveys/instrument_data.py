"""The official PermenPAN-RB 14/2017 questionnaire (sample questionnaire wording), as data.

Questionnaire order follows the official sample questionnaire: facilities 8th, complaints 9th.
BIAYA is reverse-worded ("Gratis" scores 4).
"""

from __future__ import annotations

from typing import TypedDict


class ElementText(TypedDict):
    code: str
    name_id: str
    name_en: str
    question_id: str
    question_en: str
    options_id: tuple[str, str, str, str]
    options_en: tuple[str, str, str, str]


PERMENPAN_14_2017_NAME = "SKM PermenPAN-RB 14/2017"
PERMENPAN_14_2017_RULES = "permenpan-14-2017"

PERMENPAN_14_2017: list[ElementText] = [
    {
        "code": "PERSYARATAN",
        "name_id": "Persyaratan",
        "name_en": "Requirements",
        "question_id": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        "question_en": "How well do the service requirements fit the type of service you received?",
        "options_id": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        "options_en": ("Not suitable", "Not very suitable", "Suitable", "Very suitable"),
    },
    {
        "code": "PROSEDUR",
        "name_id": "Sistem, Mekanisme, dan Prosedur",
        "name_en": "Systems, mechanisms and procedures",
        "question_id": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "question_en": "How easy was the service procedure at this unit to follow?",
        "options_id": ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        "options_en": ("Not easy", "Not very easy", "Easy", "Very easy"),
    },
    {
        "code": "WAKTU",
        "name_id": "Waktu Penyelesaian",
        "name_en": "Completion time",
        "question_id": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "question_en": "How fast was the service delivered?",
        "options_id": ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        "options_en": ("Not fast", "Not very fast", "Fast", "Very fast"),
    },
    {
        "code": "BIAYA",
        "name_id": "Biaya/Tarif",
        "name_en": "Cost/fee",
        "question_id": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "question_en": "How fair was the cost or fee of the service?",
        "options_id": ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        "options_en": ("Very expensive", "Fairly expensive", "Cheap", "Free"),
    },
    {
        "code": "PRODUK",
        "name_id": "Produk Spesifikasi Jenis Pelayanan",
        "name_en": "Service product",
        "question_id": (
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
            "dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        "question_en": "How well did what you received match what the service standard promises?",
        "options_id": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        "options_en": ("Not matching", "Not quite matching", "Matching", "Fully matching"),
    },
    {
        "code": "KOMPETENSI",
        "name_id": "Kompetensi Pelaksana",
        "name_en": "Staff competence",
        "question_id": "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "question_en": "How competent were the staff who served you?",
        "options_id": ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        "options_en": ("Not competent", "Not very competent", "Competent", "Very competent"),
    },
    {
        "code": "PERILAKU",
        "name_id": "Perilaku Pelaksana",
        "name_en": "Staff behaviour",
        "question_id": (
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"
        ),
        "question_en": "How polite and friendly were the staff?",
        "options_id": (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
        "options_en": (
            "Not polite or friendly",
            "Somewhat impolite",
            "Polite and friendly",
            "Very polite and friendly",
        ),
    },
    {
        "code": "SARANA",
        "name_id": "Sarana dan Prasarana",
        "name_en": "Facilities",
        "question_id": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "question_en": "How good were the facilities (waiting room, seats, toilets, parking)?",
        "options_id": ("Buruk", "Cukup", "Baik", "Sangat baik"),
        "options_en": ("Poor", "Fair", "Good", "Very good"),
    },
    {
        "code": "PENGADUAN",
        "name_id": "Penanganan Pengaduan, Saran dan Masukan",
        "name_en": "Handling of complaints and suggestions",
        "question_id": "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "question_en": "How are service users' complaints handled?",
        "options_id": ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
        "options_en": ("There is none", "Exists but does not work", "Works, but not fully", "Well managed"),
    },
]
