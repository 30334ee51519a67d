"""Layouts of filed contracts (SEC exhibits) the splitter meets: tables of contents,
numbering styles and page furniture. Texts are short paraphrases of such layouts."""

from __future__ import annotations

from mamori.engines.clauses import read_document, split_contract


def split(text: str):
    return split_contract(read_document(text.encode("utf-8"), "c.txt"))


def articles(text: str) -> list:
    return [a for a in split(text).articles if a.kind == "article"]


def test_a_table_of_contents_without_page_numbers_is_not_the_articles():
    """The contents list every heading and sub-heading (no dot leaders, no pages): the
    articles are the headings that head text, found again after it."""
    text = (
        "FRANCHISE AGREEMENT\nTABLE OF CONTENTS\n"
        "1. Definitions\n2. Grant; Term\n2.1 Grant\n2.2 Term\n3. Fees\n4. Confidentiality\n"
        "This Franchise Agreement is made between the Franchisor and the Franchisee.\n"
        "1. Definitions\n"
        '"Marks" means the names and logos that the Franchisor licenses to the Franchisee.\n'
        "2. Grant; Term\n2.1 Grant. The Franchisor grants a licence to use the Marks.\n"
        "3. Fees\nThe Franchisee pays a royalty of five percent.\n"
        "4. Confidentiality\nThe Franchisee shall keep the manual secret.\n"
    )
    found = articles(text)
    assert [a.display for a in found] == [
        "1. Definitions",
        "2. Grant; Term",
        "3. Fees",
        "4. Confidentiality",
    ]
    assert "names and logos" in found[0].norm_text
    assert "royalty" in found[2].norm_text
    assert "royalty" not in found[3].norm_text


def test_a_contents_line_listing_late_sections_does_not_start_the_articles():
    """A table of contents set as one line per column ("Section 23. Benefits 15 Section 24.
    Notices 15"): Section 23 is not the first article."""
    text = (
        "REMARKETING AGREEMENT\nTable of Contents\n"
        "Page Section 1. Definitions 1 Section 2. Appointment 3 Section 3. Fees 5\n"
        "Section 23. Benefits 15 Section 24. Notices 15 Section 25. Counterparts 16\n"
        "This Agreement is made by and among the Fund and the Agent.\n"
        "Section 1. Definitions. Capitalized terms used herein have the meanings in the "
        "Statement.\n"
        "Section 2. Appointment. The Fund appoints the Agent as its remarketing agent.\n"
        "Section 3. Fees. The Fund shall pay the Agent a fee.\n"
        "Section 23. Benefits. This Agreement is for the benefit of the parties only.\n"
        "Section 24. Notices. Notices shall be in writing.\n"
    )
    found = articles(text)
    assert [a.label for a in found] == [
        "Section 1",
        "Section 2",
        "Section 3",
        "Section 23",
        "Section 24",
    ]
    assert "remarketing agent" in found[1].norm_text


def test_a_japanese_table_of_contents_and_an_article_that_opens_with_paragraph_one():
    text = (
        "秘密保持契約書\n目次\n第１条（定義）\n第２条（秘密保持）\n"
        "甲と乙は、次のとおり契約を締結する。\n"
        "第１条（定義）\n１．本契約において、「秘密情報」とは、甲が開示する技術上\n"
        "の情報をいう。\n２．前項の情報には\n口頭のものを含む。\n"
        "第２条（秘密保持）\n乙は、秘密情報を第三者に開示してはならない。\n"
    )
    found = articles(text)
    assert [a.label for a in found] == ["第1条", "第2条"]
    assert "技術上" in found[0].norm_text


def test_sections_numbered_in_words():
    text = (
        "ENDORSEMENT AGREEMENT\nThis Agreement is made between the Chapter and the Company.\n"
        "SECTION ONE. DEFINITIONS\nAs used in this Agreement, the terms mean as follows.\n"
        "SECTION TWO. GRANT OF RIGHTS\nThe Chapter grants the Company the right to use the logo.\n"
        "Section Twenty-One. Notices\nNotices shall be in writing.\n"
        "Section one of the Act does not apply.\n"
    )
    found = articles(text)
    assert [(a.label, a.number, a.heading) for a in found] == [
        ("Section ONE", 1, "DEFINITIONS"),
        ("Section TWO", 2, "GRANT OF RIGHTS"),
        ("Section Twenty-One", 21, "Notices"),
    ]
    assert "Section one of the Act" in found[2].sentences[-1].text


def test_articles_numbered_with_a_parenthesis():
    """ "1) Duties of the Finder": the document heads its articles so; a list numbered so
    inside an article of a contract headed "1." is not taken for articles."""
    text = (
        "STRATEGIC ALLIANCE AGREEMENT\nThe parties agree as follows:\n"
        "1) Duties of the Finder\nThe Finder shall introduce clients.\n"
        "a. Promote the Products.\n"
        "2) Duties of the Company\nThe Company shall support the Finder.\n"
        "3) Term\nThe term of this Agreement is twelve months.\n"
    )
    found = articles(text)
    assert [a.display for a in found] == [
        "1. Duties of the Finder",
        "2. Duties of the Company",
        "3. Term",
    ]
    listed = articles(
        "AGREEMENT\n1. Services. The Provider provides:\n1) Hosting\n2) Support\n"
        "2. Fees. The Customer pays the fees.\n3) Training\n3. Term. One year.\n"
    )
    assert [a.display for a in listed] == ["1. Services", "2. Fees", "3. Term"]


def test_annexures_attachments_and_schedules_named_by_a_word():
    text = (
        "SPONSORSHIP AGREEMENT\n1. Term. One year.\n2. Fees. As in Attachment B.\n"
        "Attachment A\nSponsor benefits from the Company.\n"
        "ANNEXURE 2\nMaintenance fees.\n"
        "SCHEDULE OF PRICES\nThe prices.\n"
        "Schedules\nThe schedules form part of this agreement.\n"
    )
    appendices = [(a.label, a.heading) for a in split(text).articles if a.kind == "appendix"]
    assert appendices == [
        ("Attachment A", ""),
        ("ANNEXURE 2", ""),
        ("SCHEDULE", "OF PRICES"),
    ]


def test_a_table_of_contents_in_columns_followed_by_the_list_of_schedules():
    """Entries set side by side with their pages ("1 DEFINITIONS 2 2 BASIC PRINCIPLES 3"),
    then the schedules and annexes the contract has: none is an article or an appendix."""
    text = (
        "CONSTRUCTION AND MAINTENANCE AGREEMENT\nTABLE OF CONTENTS\n"
        "1 DEFINITIONS 2 2 BASIC PRINCIPLES 3\n3 TERM 4 4 COSTS 5\n"
        "SCHEDULES\nSCHEDULE A PARTIES TO THE AGREEMENT\nANNEX 1 TERMS OF REFERENCE\n"
        "This Agreement is made and entered into on the Effective Date by the Parties.\n"
        "1 DEFINITIONS\nIn this Agreement the following words shall have these meanings.\n"
        "2 BASIC PRINCIPLES\nThe Parties shall build the cable system together.\n"
        "3 TERM\nThis Agreement shall continue for twenty five years.\n"
        "SCHEDULE A\nThe parties to the agreement.\n"
    )
    contract = split(text)
    assert [(a.kind, a.label) for a in contract.articles] == [
        ("preamble", "Preamble"),
        ("article", "1."),
        ("article", "2."),
        ("article", "3."),
        ("appendix", "SCHEDULE A"),
    ]


def test_an_exhibit_that_numbers_its_own_sections_holds_them():
    """Standard terms attached as an exhibit number their sections from 1 again: their "3."
    is not the contract's article 3."""
    text = (
        "DISTRIBUTOR AGREEMENT\n1. Appointment. The Company appoints the Distributor.\n"
        "2. Entire Agreement. This Agreement includes the terms in Exhibit B.\n"
        "EXHIBIT B\nSTANDARD DISTRIBUTOR TERMS\n1. Orders. The Distributor places orders.\n"
        "2. Payment. The Distributor pays in thirty days.\n"
        "3. Confidentiality. The Distributor shall keep the price list secret.\n"
    )
    contract = split(text)
    assert [a.label for a in contract.articles] == ["Preamble", "1.", "2.", "EXHIBIT B"]
    assert "keep the price list secret" in contract.articles[-1].norm_text
