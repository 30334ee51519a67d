"""Splitting contracts into articles, paragraphs, items and sentences."""

from __future__ import annotations

from mamori.engines.clauses import Document, Line, read_document, split_contract


def split(text: str):
    return split_contract(read_document(text.encode("utf-8"), "c.txt"))


def test_japanese_articles_headings_paragraphs_and_items():
    contract = split(
        "秘密保持契約書\n前文です。\n第1条（定義）\n"
        "「秘密情報」とは、次の各号に掲げるものをいう。\n（1）図面\n（2）試料\n"
        "第2条（秘密保持）\n乙は秘密を保持する。\n２　乙は第三者に開示しない。\n"
    )
    assert contract.title == "秘密保持契約書" and contract.language == "ja"
    assert [(a.label, a.heading, a.kind) for a in contract.articles] == [
        ("前文", "", "preamble"),
        ("第1条", "定義", "article"),
        ("第2条", "秘密保持", "article"),
    ]
    definition = contract.articles[1]
    assert [s.paragraph for s in definition.sentences] == ["", "（1）", "（2）"]
    # An item reads with the sentence that introduces the list.
    assert "次の各号" in definition.sentences[1].match_text
    assert [s.paragraph for s in contract.articles[2].sentences] == ["", "２"]


def test_kanji_numbers_headings_above_the_article_and_references_are_not_articles():
    contract = split(
        "契約書\n（目的）\n第一条　本契約は評価を目的とする。\n"
        "（期間）\n第二条　本契約は一年間有効とする。\n"
        "第一条に定める目的は変更しない。\n第3条 返還\n乙は返還する。\n"
    )
    articles = [(a.label, a.heading) for a in contract.articles if a.kind == "article"]
    assert articles == [("第1条", "目的"), ("第2条", "期間"), ("第3条", "返還")]
    assert contract.articles[2].sentences[-1].text == "第一条に定める目的は変更しない。"


def test_english_articles_sections_run_in_headings_and_sub_clauses():
    contract = split(
        'AGREEMENT\nSection 1. Definitions. "Confidential Information" means data.\n'
        "Section 2 Confidentiality\n2.1 The Recipient shall keep it secret.\n(a) No copies.\n"
        "Section 2 of the Act applies.\nSection 3 of this Agreement is void.\n"
        "ARTICLE 4 – TERM\nIt lasts.\nSchedule 1\nThe technology.\n"
    )
    assert [(a.label, a.heading, a.kind) for a in contract.articles] == [
        ("Preamble", "", "preamble"),
        ("Section 1", "Definitions", "article"),
        ("Section 2", "Confidentiality", "article"),
        ("Article 4", "TERM", "article"),
        ("Schedule 1", "", "appendix"),
    ]
    confidentiality = contract.articles[2]
    assert [s.paragraph for s in confidentiality.sentences][:2] == ["2.1", "(a)"]


def test_numbered_headings_and_word_heading_styles_without_article_words():
    document = Document(
        lines=(
            Line("Services Agreement", heading=True),
            Line("Between A and B."),
            Line("1. Definitions"),
            Line("Words mean things."),
            Line("Confidentiality", heading=True),
            Line("B shall keep secrets."),
        ),
        format="docx",
    )
    contract = split_contract(document)
    assert [(a.label, a.heading) for a in contract.articles] == [
        ("Preamble", ""),
        ("1.", "Definitions"),
        ("Confidentiality", "Confidentiality"),
    ]
    assert contract.articles[1].display == "1. Definitions"
    assert contract.articles[2].display == "Confidentiality"


def test_items_of_a_text_wrapped_by_hand_are_whole_sentences():
    """A text file that breaks every line at the same width (a licence shipped with an SDK):
    an item (（１）…) wrapped over two lines is one sentence."""
    filler = [
        f"    第{n}条（定め{n}）\n"
        f"    甲及び乙は、本契約の第{n}条に定める事項を誠実に履行するものとし、"
        for n in range(3, 13)
    ]
    wrapped = "\n".join(
        [
            "    第１条（禁止事項）",
            "    ライセンシーは、次の各号の行為を行うことはできません。",
            "    （１）本製品を、他社製プロセッサ上のシステムを開発する目的で利用す",
            "ること",
            "    （２）本製品を、第三者に貸与し、譲渡し、または担保に供すること",
            "    第２条（解除）",
            "    ライセンサーは、ライセンシーが本契約に違反したときは、直ちに本契約を",
            "解除することができるものとし、その旨を書面で通知するものとします。",
            *filler,
            "",
        ]
    )
    contract = split_contract(read_document(wrapped.encode("utf-8"), "licence.txt"))
    first = next(a for a in contract.articles if a.number == 1)
    items = [s.text for s in first.sentences]
    assert "本製品を、他社製プロセッサ上のシステムを開発する目的で利用すること" in items
    assert "ること" not in items


def test_a_numbered_title_alone_with_its_full_stop_starts_an_article():
    text = (
        "1. Products. The Supplier sells the Products.\n"
        "2. Payment. The Buyer pays in 30 days.\n"
        "3. Entire Agreement.\n"
        "A. This Agreement is the entire agreement of the parties.\n"
    )
    contract = split_contract(read_document(text.encode("utf-8"), "supply.txt"))
    assert [a.display for a in contract.articles if a.kind == "article"][-1] == (
        "3. Entire Agreement"
    )


def numbered_articles(text: str) -> list:
    return [a for a in split(text).articles if a.kind == "article"]


def test_titles_with_small_words_bilingual_headings_and_unheaded_numbered_articles():
    """A filed supply contract: "2. Term and Termination." alone, a heading followed by its
    translation, and a paragraph that only continues the numbering ("5. This price …")."""
    text = (
        "SUPPLY CONTRACT\n"
        "1. Products. The Seller sells the Products.\n"
        "2. Term and Termination.\n"
        "A. Either party may terminate on notice.\n"
        "3. SHARING OF INVESTMENT 投资的分摊\n"
        "Each party bears its own costs.\n"
        "4. ARBITRATION: Disputes go to arbitration.\n"
        "5. This final price is the confidential information. It shall not be disclosed.\n"
        "6. Law. Chinese law applies.\n"
        "7. The Contract is valid for 5 years.\n"
    )
    articles = numbered_articles(text)
    assert [a.display for a in articles] == [
        "1. Products",
        "2. Term and Termination",
        "3. SHARING OF INVESTMENT 投资的分摊",
        "4. ARBITRATION",
        "5.",
        "6. Law",
        "7.",
    ]
    assert articles[4].sentences[0].text == "This final price is the confidential information."
    assert articles[6].sentences[0].text == "The Contract is valid for 5 years."


def test_a_numbered_list_inside_an_article_is_not_taken_for_articles():
    text = (
        "AGREEMENT\n"
        "1. Services. The Provider shall provide the following:\n"
        "2. Hosting of the platform.\n"
        "2. Fees. The Customer pays the fees.\n"
        "3. Term. One year.\n"
    )
    articles = numbered_articles(text)
    assert [a.display for a in articles] == ["1. Services", "2. Fees", "3. Term"]
    assert "Hosting of the platform." in [s.text for s in articles[0].sentences]


def test_article_numbering_of_filed_contracts_and_their_tables_of_contents():
    """Layouts of filed exhibits: "ARTICLE – 1", "1.0 Services", articles numbered without a
    full stop ("4 Intellectual Property."), a date and a table of contents on the cover."""
    dashed = split("JOINT VENTURE AGREEMENT\nARTICLE – 1\nDEFINITIONS\nWords mean things.\n")
    assert [a.display for a in dashed.articles][1:] == ["Article 1 (DEFINITIONS)"]
    zero = numbered_articles("AGREEMENT\n1.0 Services\nCRO works.\n2.0 Payment\nClient pays.\n")
    assert [a.display for a in zero] == ["1. Services", "2. Payment"]
    plain_contract = split(
        "SUPPLY AGREEMENT\n1 OCTOBER 2019\n"
        "Contents: 1. Supply 2 2. Quality 3 3. Term 4\nSchedule 1 Prices 5\n"
        "NOW THEREFORE the parties agree as follows:\n"
        "1 Supply of Ingredients\n1.1 Supplier will provide the materials.\n"
        "2 Quality and Food Safety\n2.1 Supplier guarantees the quality.\n"
        "3 Business Continuity. Supplier keeps a continuity plan.\n"
        "4 Intellectual Property.\n4.1 Each Party keeps its rights.\n"
        "Schedule 1-1\nPrices.\n"
    )
    plain = [a for a in plain_contract.articles if a.kind == "article"]
    assert plain_contract.articles[-1].label == "Schedule 1-1"
    assert [a.display for a in plain] == [
        "1. Supply of Ingredients",
        "2. Quality and Food Safety",
        "3. Business Continuity",
        "4. Intellectual Property",
    ]
    cover = split(
        "SUPPLY AGREEMENT\n1 OCTOBER 2019\n"
        "Contents: 1. Supply 2 2. Quality 3 3. Term 4\nSchedule 1 Prices 5\n"
        "NOW THEREFORE the parties agree as follows:\n1. Supply\nThe Seller sells.\n"
    ).articles
    assert [(a.kind, a.label) for a in cover] == [("preamble", "Preamble"), ("article", "1.")]
