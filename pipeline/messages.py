"""Every message the pipeline shows, in Indonesian and English, keyed by a stable code.

A template's `{name}` takes an argument of the problem; an argument may itself be a mapping
{"id": ..., "en": ...} when its words depend on the language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGS = ("id", "en")

# code: (message id, message en, fix id, fix en)
CATALOG: dict[str, tuple[str, str, str, str]] = {
    # YAML
    "YAML001": (
        "YAML tidak dapat dibaca: {detail}.",
        "The YAML cannot be read: {detail}.",
        "Periksa titik dua, tanda kutip dan indentasi di baris ini.",
        "Check the colon, the quotes and the indentation on this line.",
    ),
    "YAML002": (
        "Kunci `{key}` ditulis dua kali (pertama di baris {first}).",
        "The key `{key}` is written twice (first on line {first}).",
        "Hapus salah satunya, sisakan satu nilai yang benar.",
        "Delete one of them and keep the one right value.",
    ),
    "YAML003": (
        "Tag YAML `{tag}` tidak diizinkan.",
        "The YAML tag `{tag}` is not allowed.",
        "Hapus tag dan tulis nilainya saja; beri tanda kutip jika teks diawali `!`.",
        "Remove the tag and write the value alone; quote text that starts with `!`.",
    ),
    "YAML004": (
        "Anchor (`&`) dan alias (`*`) YAML tidak diizinkan.",
        "YAML anchors (`&`) and aliases (`*`) are not allowed.",
        "Tulis nilainya secara lengkap; beri tanda kutip jika teks diawali `&` atau `*`.",
        "Write the value out in full; quote text that starts with `&` or `*`.",
    ),
    "YAML005": (
        "Karakter tab dipakai untuk indentasi.",
        "A tab character is used for indentation.",
        "Ganti tab dengan spasi (dua spasi per tingkat).",
        "Replace the tab with spaces (two per level).",
    ),
    "YAML007": (
        "Karakter {code} (karakter kendali atau khusus) tidak boleh ada di front matter.",
        "The character {code} (a control or special character) is not allowed in the front matter.",
        "Hapus karakter itu (sering terbawa saat menyalin dari pengolah kata); ganti dengan spasi"
        " atau baris baru bila memang perlu.",
        "Delete it (it often comes along when copying from a word processor); put a space or a"
        " new line in its place if one was meant.",
    ),
    "YAML006": (
        "Kunci harus berupa teks biasa.",
        "A key must be plain text.",
        "Tulis kunci sebagai kata, misalnya `title:`.",
        "Write the key as a word, such as `title:`.",
    ),
    # Front matter and files
    "FM001": (
        "Berkas tidak diawali front matter: baris pertama bukan `---`.",
        "The file does not start with front matter: the first line is not `---`.",
        "Mulai berkas dengan `---`, lalu kunci-kunci front matter, lalu `---` lagi.",
        "Start the file with `---`, then the front-matter keys, then `---` again.",
    ),
    "FM002": (
        "Front matter tidak ditutup dengan baris `---`.",
        "The front matter is not closed by a `---` line.",
        "Tambahkan baris `---` setelah kunci terakhir, sebelum isi naskah.",
        "Add a `---` line after the last key, before the text of the article.",
    ),
    "FM003": (
        "Berkas diawali BOM (byte order mark).",
        "The file starts with a BOM (byte order mark).",
        "Simpan berkas sebagai UTF-8 tanpa BOM.",
        "Save the file as UTF-8 without a BOM.",
    ),
    "FM004": (
        "Berkas bukan teks UTF-8 yang sah (byte {byte}).",
        "The file is not valid UTF-8 text (byte {byte}).",
        "Simpan ulang berkas dengan encoding UTF-8.",
        "Save the file again with UTF-8 encoding.",
    ),
    "FM005": (
        "Front matter harus berupa pasangan `kunci: nilai`.",
        "The front matter must be `key: value` pairs.",
        "Tulis setiap kunci di baris sendiri, misalnya `title: Judul naskah`.",
        "Write each key on its own line, such as `title: Article title`.",
    ),
    "FM006": (
        "Berkas tidak dapat dibaca: {detail}.",
        "The file cannot be read: {detail}.",
        "Periksa bahwa berkas ada dan merupakan berkas biasa (bukan tautan atau folder).",
        "Check that the file exists and is a regular file (not a link or a folder).",
    ),
    # Schema
    "SCH001": (
        "Kunci `{key}` tidak dikenal.",
        "The key `{key}` is unknown.",
        "{suggestion}",
        "{suggestion}",
    ),
    "SCH002": (
        "Kunci `{key}` wajib ada.",
        "The key `{key}` is required.",
        "Tambahkan `{key}:` beserta nilainya.",
        "Add `{key}:` with its value.",
    ),
    "SCH003": (
        "`{field}` harus berupa {expected}, bukan {actual}.",
        "`{field}` must be {expected}, not {actual}.",
        "Ubah nilainya menjadi {expected}.",
        "Change the value to {expected}.",
    ),
    "SCH004": (
        "`{field}` bernilai `{value}`, yang tidak termasuk pilihan.",
        "`{field}` is `{value}`, which is not one of the choices.",
        "Pakai salah satu: {allowed}.",
        "Use one of: {allowed}.",
    ),
    "SCH005": (
        "`{field}` bernilai `{value}`, yang tidak sesuai bentuknya.",
        "`{field}` is `{value}`, which is not in the right form.",
        "Tulis sebagai {form}.",
        "Write it as {form}.",
    ),
    "SCH006": (
        "`{field}` tidak boleh kosong.",
        "`{field}` must not be empty.",
        "Isi `{field}` atau hapus kuncinya jika tidak wajib.",
        "Fill in `{field}`, or remove the key if it is optional.",
    ),
    "SCH007": (
        "`{field}` tidak sah: {detail}.",
        "`{field}` is not valid: {detail}.",
        "Perbaiki nilainya sesuai skema di pipeline/schema/.",
        "Correct the value as the schema in pipeline/schema/ describes.",
    ),
    "SCH008": (
        "`{field}` bernilai `{value}`, yang tidak ada di kalender.",
        "`{field}` is `{value}`, which is not a real date or time.",
        "Periksa tanggal dan jamnya, misalnya `2023-03-06 10:00`.",
        "Check the date and time, such as `2023-03-06 10:00`.",
    ),
    # Articles against the SOP and the team
    "ART001": (
        "Tahap `{stage}` tidak ada di sop.yml.",
        "The stage `{stage}` does not exist in sop.yml.",
        "Pakai salah satu tahap: {stages}.",
        "Use one of the stages: {stages}.",
    ),
    "ART002": (
        "Tahap `{stage}` mewajibkan `{key}` diisi.",
        "The stage `{stage}` requires `{key}` to be filled in.",
        "Isi `{key}` sebelum naskah masuk tahap `{stage}`.",
        "Fill in `{key}` before the article enters the stage `{stage}`.",
    ),
    "ART003": (
        "id `{id}` sudah dipakai oleh {other}.",
        "The id `{id}` is already used by {other}.",
        "Setiap naskah punya id sendiri; buat naskah baru dengan `laman new`.",
        "Every article has its own id; create new articles with `laman new`.",
    ),
    "ART004": (
        "Informasi yang dikecualikan tidak boleh mencapai tahap `{stage}`.",
        "Exempt information must never reach the stage `{stage}`.",
        "Kembalikan tahapnya, atau ubah klasifikasi jika PPID memutuskan informasi ini terbuka.",
        "Move it back, or change the class if the PPID decided this information is public.",
    ),
    "ART005": (
        "Kategori `{category}` tidak ada di sop.yml.",
        "The category `{category}` does not exist in sop.yml.",
        "Pakai salah satu kategori: {categories}.",
        "Use one of the categories: {categories}.",
    ),
    "ART006": (
        "`assignee` {assignee} bukan anggota tim dengan peran tim_peliputan di team.yml.",
        "The `assignee` {assignee} is not a team member with the tim_peliputan role in team.yml.",
        "Tulis alamat e-mail seorang anggota Tim Peliputan dari team.yml.",
        "Write the e-mail address of a Tim Peliputan member listed in team.yml.",
    ),
    "ART007": (
        "Tahap `{stage}` membutuhkan alasan di `{key}`.",
        "The stage `{stage}` needs a reason in `{key}`.",
        "Tulis alasannya di `{key}`.",
        "Write the reason in `{key}`.",
    ),
    "ART008": (
        "Informasi yang dikecualikan tidak punya catatan uji konsekuensi (`information.exemption`).",
        "Exempt information has no consequence-test record (`information.exemption`).",
        "Isi `exemption` dengan `legal_basis` (pasal UU 14/2008 Pasal 17), `consequence`, `period` dan `decision` (nomor keputusan PPID).",
        "Fill in `exemption` with `legal_basis` (the letter of UU 14/2008 Pasal 17), `consequence`, `period` and `decision` (the PPID decision number).",
    ),
    # Raw HTML in an article's body
    "HTML001": (
        "Tag `<{tag}>` (skrip) tidak diizinkan di naskah.",
        "The `<{tag}>` tag (a script) is not allowed in an article.",
        "Hapus skrip; situs bekerja tanpa JavaScript dari naskah.",
        "Remove the script; the site works without scripts from articles.",
    ),
    "HTML002": (
        "Iframe dari `{host}` tidak diizinkan.",
        "An iframe from `{host}` is not allowed.",
        "Hanya iframe dari host di sop.yml (`html.iframe_hosts`): {hosts}.",
        "Only iframes from the hosts in sop.yml (`html.iframe_hosts`): {hosts}.",
    ),
    "HTML003": (
        "Atribut `{attribute}` (penangan kejadian) tidak diizinkan.",
        "The `{attribute}` attribute (an event handler) is not allowed.",
        "Hapus atribut itu.",
        "Remove that attribute.",
    ),
    "HTML004": (
        "Tautan `{url}` memakai skema yang tidak aman.",
        "The link `{url}` uses an unsafe scheme.",
        "Pakai tautan `https://`, `mailto:` atau `tel:`.",
        "Use an `https://`, `mailto:` or `tel:` link.",
    ),
    "HTML005": (
        "Gambar tanpa teks alternatif (alt).",
        "An image without alternative text (alt).",
        "Tulis keterangan gambar untuk pembaca tunanetra: `![keterangan](gambar.jpg)`.",
        "Describe the image for blind readers: `![description](image.jpg)`.",
    ),
    "HTML006": (
        "Tag `<{tag}>` tidak diizinkan di naskah.",
        "The `<{tag}>` tag is not allowed in an article.",
        "Tulis dengan Markdown, atau pakai tag HTML dasar (p, a, img, table, …).",
        "Write it in Markdown, or use basic HTML tags (p, a, img, table, …).",
    ),
    "HTML007": (
        "Teks di sini tidak dapat dibaca sebagai HTML (misalnya `<![` yang tidak ditutup).",
        "The text here cannot be read as HTML (such as a `<![` that is never closed).",
        "Tulis `&lt;` bila tanda `<` memang dimaksud, atau hapus tanda itu.",
        "Write `&lt;` where a `<` is meant as text, or delete it.",
    ),
    # sop.yml
    "CFG001": (
        "Peran `{role}` di {where} tidak ada di `roles`.",
        "The role `{role}` in {where} is not listed under `roles`.",
        "Tambahkan peran itu di `roles` atau perbaiki ejaannya.",
        "Add that role under `roles` or correct its spelling.",
    ),
    "CFG002": (
        "Tahap `{stage}` di {where} tidak ada di `stages`.",
        "The stage `{stage}` in {where} is not listed under `stages`.",
        "Pakai salah satu tahap: {stages}.",
        "Use one of the stages: {stages}.",
    ),
    "CFG003": (
        "Tidak ada tahap awal (`initial: true`).",
        "There is no initial stage (`initial: true`).",
        "Tandai tepat satu tahap dengan `initial: true`.",
        "Mark exactly one stage with `initial: true`.",
    ),
    "CFG004": (
        "Tahap `{stage}` tidak dapat dicapai dari tahap awal.",
        "The stage `{stage}` cannot be reached from the initial stage.",
        "Tambahkan transisi menuju `{stage}` atau hapus tahap itu.",
        "Add a transition into `{stage}` or remove that stage.",
    ),
    "CFG005": (
        "Tahap `{stage}` ditulis lebih dari sekali.",
        "The stage `{stage}` is listed more than once.",
        "Setiap tahap punya id sendiri.",
        "Give every stage its own id.",
    ),
    "CFG006": (
        "Transisi `{source}` → `{target}` ditulis lebih dari sekali.",
        "The transition `{source}` → `{target}` is listed more than once.",
        "Gabungkan perannya dalam satu transisi.",
        "Merge their roles into one transition.",
    ),
    "CFG007": (
        "Tidak ada tahap yang dapat ditayangkan (`publishable: true`).",
        "No stage is publishable (`publishable: true`).",
        "Tandai tahap terverifikasi dengan `publishable: true`.",
        "Mark the verified stage with `publishable: true`.",
    ),
    "CFG008": (
        "Lebih dari satu tahap awal: {stages}.",
        "More than one initial stage: {stages}.",
        "Tandai tepat satu tahap dengan `initial: true`.",
        "Mark exactly one stage with `initial: true`.",
    ),
    "CFG009": (
        "Langkah {step} di {where} tidak ada di `steps`.",
        "Step {step} in {where} is not listed under `steps`.",
        "Pakai nomor langkah yang ada di `steps`.",
        "Use a step number listed under `steps`.",
    ),
    "CFG010": (
        "Tahap akhir `{stage}` punya transisi keluar.",
        "The terminal stage `{stage}` has a transition out of it.",
        "Hapus transisi itu atau hapus `terminal: true`.",
        "Remove that transition or remove `terminal: true`.",
    ),
    "CFG011": (
        "Kunci `{key}` di {where} tidak ada di front matter naskah.",
        "The key `{key}` in {where} is not a front-matter key.",
        "Pakai kunci dari pipeline/schema/article.schema.json.",
        "Use a key from pipeline/schema/article.schema.json.",
    ),
    # team.yml
    "TEAM001": (
        "Peran `{role}` milik {person} tidak ada di sop.yml.",
        "The role `{role}` of {person} does not exist in sop.yml.",
        "Pakai salah satu peran: {roles}.",
        "Use one of the roles: {roles}.",
    ),
    "TEAM002": (
        "Kunci SSH {fingerprint} tercantum lebih dari sekali ({people}).",
        "The SSH key {fingerprint} is listed more than once ({people}).",
        "Satu kunci hanya untuk satu orang; hapus yang lain.",
        "A key belongs to one person only; remove the other listing.",
    ),
    "TEAM003": (
        "Alamat e-mail `{email}` tidak sah sebagai principal tanda tangan.",
        "The e-mail address `{email}` is not valid as a signing principal.",
        "Tulis satu alamat e-mail lengkap, tanpa `*`, `?` atau koma.",
        "Write one complete e-mail address, without `*`, `?` or commas.",
    ),
    "TEAM004": (
        "Kunci publik SSH {person} tidak dapat dibaca: {detail}.",
        "The SSH public key of {person} cannot be read: {detail}.",
        "Salin isi berkas `.pub` apa adanya, satu baris per kunci.",
        "Copy the `.pub` file's content as it is, one line per key.",
    ),
    "TEAM005": (
        "{what} `{value}` dipakai oleh lebih dari satu orang.",
        "{what} `{value}` is used by more than one person.",
        "Setiap orang punya {what} sendiri.",
        "Every person has their own {what}.",
    ),
    # Enforcement from git history (pipeline/policy.py)
    "SOP001": (
        "Commit tidak ditandatangani oleh kunci anggota tim (status tanda tangan {status}{key}).",
        "The commit is not signed by a team member's key (signature status {status}{key}).",
        "Tandatangani commit dengan kunci SSH Anda yang tercantum di team.yml: `git commit --amend -S` "
        "(atur `gpg.format ssh` dan `user.signingkey`). Squash atau rebase merge menghapus tanda tangan: "
        "pakai merge commit.",
        "Sign the commit with your SSH key listed in team.yml: `git commit --amend -S` (set `gpg.format ssh` "
        "and `user.signingkey`). Squash and rebase merges drop signatures: use a merge commit.",
    ),
    "SOP002": (
        "Tanda tangan commit tidak cocok dengan isinya (status B): commit diubah setelah ditandatangani.",
        "The commit's signature does not match its content (status B): it was altered after signing.",
        "Buang commit ini dan buat ulang dengan tanda tangan yang sah.",
        "Drop this commit and make it again with a valid signature.",
    ),
    "SOP003": (
        "Perpindahan `{source}` → `{target}` tidak ada di sop.yml.",
        "The move `{source}` → `{target}` is not in sop.yml.",
        "Satu commit, satu langkah. Dari `{source}` yang boleh: {allowed}.",
        "One step per commit. From `{source}` the allowed moves are: {allowed}.",
    ),
    "SOP004": (
        "{person} ({roles}) tidak berwenang memindahkan naskah `{source}` → `{target}`.",
        "{person} ({roles}) may not move the article `{source}` → `{target}`.",
        "Langkah ini dilakukan oleh: {allowed}.",
        "This step is taken by: {allowed}.",
    ),
    "SOP005": (
        "Naskah baru dibuat pada tahap `{stage}` oleh {person}.",
        "A new article was created at stage `{stage}` by {person}.",
        "Naskah baru dimulai pada tahap `{initial}` oleh {allowed}.",
        "New articles start at stage `{initial}`, created by {allowed}.",
    ),
    "SOP006": (
        "{person} memverifikasi naskah yang ikut ditulis atau dikoreksinya sendiri.",
        "{person} verified an article they wrote or corrected themselves.",
        "Verifikasi harus oleh orang lain (prinsip empat mata).",
        "Another person must verify it (four-eyes principle).",
    ),
    "SOP007": (
        "{person} ({roles}) mengubah isi naskah pada tahap `{stage}`.",
        "{person} ({roles}) changed the article's text at stage `{stage}`.",
        "Pada tahap ini yang boleh mengubah isi: {allowed}.",
        "At this stage the text may be changed by: {allowed}.",
    ),
    "SOP008": (
        "Naskah diubah setelah diverifikasi; persetujuan tidak berlaku untuk isi baru.",
        "The article was changed after verification; the approval does not cover the new text.",
        "Kembalikan isi yang diverifikasi, atau buka kembali naskah untuk perbaikan dan verifikasi ulang.",
        "Restore the verified text, or reopen the article for revision and verify it again.",
    ),
    "SOP009": (
        "Perpindahan `{source}` → `{target}` membutuhkan alasan di `{key}`.",
        "The move `{source}` → `{target}` needs a reason in `{key}`.",
        "Tulis alasannya di `{key}` dalam commit yang sama.",
        "Write the reason in `{key}` in the same commit.",
    ),
    "SOP010": (
        "Naskah ditugaskan kepada {assignee}, tetapi disusun oleh {person}.",
        "The article was assigned to {assignee} but written by {person}.",
        "Hanya petugas yang ditugaskan yang memindahkan naskah ke `{target}`.",
        "Only the person assigned moves the article to `{target}`.",
    ),
    "SOP011": (
        "Berkas kebijakan `{path}` diubah oleh {person}, bukan penanggung jawab.",
        "The policy file `{path}` was changed by {person}, not by the person in charge.",
        "Perubahan sop.yml, team.yml, pipeline/ dan .github/ ditandatangani oleh: {allowed}. "
        "Perubahan ini tidak berlaku.",
        "Changes to sop.yml, team.yml, pipeline/ and .github/ are signed by: {allowed}. "
        "This change does not take effect.",
    ),
    "SOP012": (
        "Informasi yang dikecualikan dipindahkan ke tahap `{target}`.",
        "Exempt information was moved to stage `{target}`.",
        "Informasi dikecualikan (UU 14/2008 Pasal 17) tidak pernah ditayangkan.",
        "Exempt information (UU 14/2008 Pasal 17) is never published.",
    ),
    "SOP013": (
        "Merge commit mengubah naskah menjadi isi yang tidak ada di induk mana pun.",
        "A merge commit changed the article into text that no parent has.",
        "Ubah naskah di commit biasa sebelum merge; perubahan ini dinilai sebagai suntingan penandatangan merge.",
        "Edit the article in an ordinary commit before merging; this is judged as an edit by the merge's signer.",
    ),
    "SOP014": (
        "id `{id}` sudah dipakai naskah `{other}`; salinan tidak membawa persetujuan.",
        "The id `{id}` already belongs to `{other}`; a copy does not carry its approval.",
        "Buat naskah baru dengan `laman new`, atau pindahkan berkas dengan `git mv` tanpa mengubah isinya.",
        "Create a new article with `laman new`, or move the file with `git mv` without changing it.",
    ),
    "SOP015": (
        "Naskah pada commit ini tidak sah: {detail}",
        "The article in this commit is not valid: {detail}",
        "Perbaiki front matter; jalankan `laman validate` sebelum commit.",
        "Fix the front matter; run `laman validate` before committing.",
    ),
    "SOP016": (
        "`{path}` bukan berkas biasa ({kind}).",
        "`{path}` is not a regular file ({kind}).",
        "Naskah harus berkas biasa; hapus tautan simbolik atau submodule dari content/.",
        "Articles must be regular files; remove symbolic links and submodules from content/.",
    ),
    "SOP017": (
        "Kebijakan (sop.yml/team.yml) tidak ada atau tidak dapat dibaca pada induk commit ini: {detail}",
        "The policy (sop.yml/team.yml) is missing or unreadable at this commit's parent: {detail}",
        "Pulihkan sop.yml dan team.yml yang sah; tanpa kebijakan tidak ada yang dapat disetujui.",
        "Restore a valid sop.yml and team.yml; without a policy nothing can be approved.",
    ),
    "SOP018": (
        "Repositori ini klon dangkal (shallow); riwayat tidak lengkap untuk dibuktikan.",
        "This repository is a shallow clone; its history is incomplete and cannot be proved.",
        "Ambil seluruh riwayat: `git fetch --unshallow` (di CI: `fetch-depth: 0`).",
        "Fetch the whole history: `git fetch --unshallow` (in CI: `fetch-depth: 0`).",
    ),
    "SOP019": (
        "Riwayat tidak lagi memuat commit yang terakhir ditayangkan ({commit}).",
        "The history no longer contains the last published commit ({commit}).",
        "Riwayat main ditulis ulang (force-push). Pulihkan main agar melanjutkan commit itu.",
        "main's history was rewritten (force-push). Restore main so that it extends that commit.",
    ),
    "SOP020": (
        "Naskah dihapus oleh {person}.",
        "The article was deleted by {person}.",
        "Naskah ditarik melalui tahap penarikan oleh: {allowed}.",
        "Articles are withdrawn through the withdrawal stage by: {allowed}.",
    ),
    "SOP021": (
        "Penegakan SOP mati: sop.yml tidak punya `trust_anchor`. Seluruh riwayat dianggap konten lama.",
        "SOP enforcement is off: sop.yml has no `trust_anchor`. The whole history is treated as legacy content.",
        "Jalankan `laman init` untuk mencatat titik awal penegakan.",
        "Run `laman init` to record where enforcement starts.",
    ),
    "SOP022": (
        "Trust anchor {commit} tidak ada dalam riwayat HEAD.",
        "The trust anchor {commit} is not in HEAD's history.",
        "Perbaiki `trust_anchor` di sop.yml menjadi commit yang ada di main.",
        "Set `trust_anchor` in sop.yml to a commit on main.",
    ),
    # laman advance / laman init
    "ADV001": (
        "Git belum diatur untuk menandatangani dengan kunci SSH (`user.signingkey`).",
        "Git is not set up to sign with an SSH key (`user.signingkey`).",
        "Jalankan: `git config gpg.format ssh` dan `git config user.signingkey ~/.ssh/id_ed25519.pub`.",
        "Run: `git config gpg.format ssh` and `git config user.signingkey ~/.ssh/id_ed25519.pub`.",
    ),
    "ADV002": (
        "Kunci penandatangan {fingerprint} tidak tercantum di team.yml.",
        "The signing key {fingerprint} is not listed in team.yml.",
        "Minta penanggung jawab menambahkan kunci publik Anda ke team.yml.",
        "Ask the person in charge to add your public key to team.yml.",
    ),
    "ADV003": (
        "Naskah sudah pada tahap `{stage}`.",
        "The article is already at stage `{stage}`.",
        "Pilih tahap berikutnya: {allowed}.",
        "Choose the next stage: {allowed}.",
    ),
    "ADV004": (
        "Kunci SSH `{path}` tidak dapat dibaca: {detail}.",
        "The SSH key `{path}` cannot be read: {detail}.",
        "Arahkan `user.signingkey` ke berkas kunci publik (`.pub`).",
        "Point `user.signingkey` at your public key file (`.pub`).",
    ),
    "ADV005": (
        "Berkas `{path}` punya perubahan lain yang belum di-commit.",
        "The file `{path}` has other uncommitted changes.",
        "Commit atau batalkan perubahan itu dulu; `laman advance` hanya mengubah tahap.",
        "Commit or undo those changes first; `laman advance` changes only the stage.",
    ),
    "ADV006": (
        "Baris `stage` (atau alasannya) tidak dapat diganti tanpa mengubah arti baris lain.",
        "The `stage` line (or its reason) cannot be replaced without changing what other lines say.",
        "Tulis `stage:` dan nilainya pada satu baris, tanpa spasi sebelum titik dua, lalu ulangi"
        " `laman advance` ke `{target}`.",
        "Write `stage:` and its value on one line, with no space before the colon, then run"
        " `laman advance` to `{target}` again.",
    ),
    # laman deploy / laman rollback
    "DEP001": (
        "Tujuan `{target}` tidak dikenal.",
        "The target `{target}` is not understood.",
        "Tulis `dir:/jalur/folder` atau `ssh://pengguna@host/jalur/folder`.",
        "Write `dir:/path/to/folder` or `ssh://user@host/path/to/folder`.",
    ),
    "DEP002": (
        "`{site}` bukan hasil `laman build` (tidak ada `.laman-build.json`).",
        "`{site}` is not a `laman build` output (no `.laman-build.json`).",
        "Bangun situs dengan `laman build` lalu ulangi.",
        "Build the site with `laman build`, then try again.",
    ),
    "DEP003": (
        "Ini hasil pratinjau (draf); pratinjau tidak pernah ditayangkan.",
        "This is a preview build (drafts); a preview is never published.",
        "Bangun situs dengan `laman build`, bukan `laman preview`.",
        "Build the site with `laman build`, not `laman preview`.",
    ),
    "DEP004": (
        "Situs ini dibangun tanpa penegakan SOP (belum ada trust anchor).",
        "This site was built without SOP enforcement (no trust anchor yet).",
        "Jalankan `laman init`, lalu `laman build` lagi.",
        "Run `laman init`, then `laman build` again.",
    ),
    "DEP005": (
        "Situs dibangun dari commit {built}, tetapi HEAD yang diperiksa adalah {head}.",
        "The site was built from commit {built}, but the checked HEAD is {head}.",
        "Bangun ulang dari HEAD: `laman build`.",
        "Build again from HEAD: `laman build`.",
    ),
    "DEP006": (
        "Riwayat main tidak memuat commit yang terakhir ditayangkan, atau melanggar SOP.",
        "main's history does not contain the last published commit, or breaks the SOP.",
        "Jalankan `laman check` dan perbaiki pelanggarannya sebelum menayangkan.",
        "Run `laman check` and fix its violations before publishing.",
    ),
    # laman verify-site
    "VER001": (
        "Berkas `{path}` berbeda dari yang dibangun (diubah setelah tayang).",
        "The file `{path}` differs from what was built (changed after publishing).",
        "Tayangkan ulang dari repositori: `laman build` lalu `laman deploy`.",
        "Publish again from the repository: `laman build`, then `laman deploy`.",
    ),
    "VER002": (
        "Berkas `{path}` tidak tercatat dalam bukti asal-usul situs.",
        "The file `{path}` is not in the site's provenance record.",
        "Hapus berkas itu dari server atau tayangkan melalui SOP.",
        "Remove that file from the server, or publish it through the SOP.",
    ),
    "VER003": (
        "Berkas `{path}` tercatat tetapi tidak ada di situs.",
        "The file `{path}` is recorded but missing from the site.",
        "Tayangkan ulang dari repositori.",
        "Publish again from the repository.",
    ),
    "VER004": (
        "Naskah `{id}` (blob {blob}) tidak terverifikasi seperti yang dicatat menurut riwayat git.",
        "The article `{id}` (blob {blob}) was not verified as recorded, according to git history.",
        "Periksa dengan `laman check`; situs ini tidak cocok dengan SOP.",
        "Look into it with `laman check`; this site does not match the SOP.",
    ),
    "VER005": (
        "`{site}` tidak punya bukti asal-usul (`.well-known/laman-provenance.json`).",
        "`{site}` has no provenance record (`.well-known/laman-provenance.json`).",
        "Situs ini tidak dibangun dengan `laman build`.",
        "This site was not built with `laman build`.",
    ),
    # Daftar Informasi Publik (pipeline/dip.py)
    "DIP001": (
        "Naskah yang boleh tayang wajib mengisi kolom Daftar Informasi Publik `information.{key}`.",
        "An article that may be published must fill in the public information list field `information.{key}`.",
        "Isi `information.{key}` ({what}) sebelum naskah diverifikasi.",
        "Fill in `information.{key}` ({what}) before the article is verified.",
    ),
    "DIP002": (
        "Berkas dokumen DIP harus berupa pasangan `kunci: nilai`.",
        "A DIP document file must be `key: value` pairs.",
        "Tulis title, summary, class, unit, responsible, made, place, format, retention dan file sebagai kunci.",
        "Write title, summary, class, unit, responsible, made, place, format, retention and file as keys.",
    ),
    "DIP003": (
        "Berkas `{path}` yang disebut di `file` tidak ada di content/.",
        "The file `{path}` named in `file` is not in content/.",
        "Tambahkan berkasnya ke content/ atau perbaiki jalurnya (relatif terhadap content/).",
        "Add the file to content/ or correct the path (relative to content/).",
    ),
    "DIP004": (
        "Daftar informasi yang dikecualikan tidak boleh ditulis ke `{path}`: folder itu ikut tayang.",
        "The list of exempt information must not be written to `{path}`: that folder is published.",
        "Tulis ke folder di luar content/ dan output/, misalnya `--output ~/dikecualikan.xlsx`.",
        "Write it outside content/ and output/, such as `--output ~/exempt.xlsx`.",
    ),
    "DIP005": (
        "Informasi yang dikecualikan `{file}` belum punya catatan uji konsekuensi.",
        "The exempt information `{file}` has no consequence-test record yet.",
        "Isi `information.exemption` (legal_basis, consequence, period, decision) sesuai keputusan PPID.",
        "Fill in `information.exemption` (legal_basis, consequence, period, decision) as the PPID decided.",
    ),
    # Lembar disposisi (pipeline/disposisi.py)
    "DSP001": (
        "Naskah ini belum punya lembar disposisi (`disposition`).",
        "This article has no disposition sheet (`disposition`) yet.",
        "Isi `disposition` (number, date, from, subject, instruction) pada langkah 1–3 SOP.",
        "Fill in `disposition` (number, date, from, subject, instruction) at SOP steps 1–3.",
    ),
    "DSP002": (
        "PDF tidak dapat dibuat: WeasyPrint tidak terpasang.",
        "The PDF cannot be made: WeasyPrint is not installed.",
        "Pasang dengan `pip install 'laman[pdf]'`, atau cetak berkas HTML-nya dari peramban (A4).",
        "Install it with `pip install 'laman[pdf]'`, or print the HTML file from a browser (A4).",
    ),
    # Social-media kit (pipeline/social.py)
    "SOC001": (
        "`{slug}` bukan naskah yang tayang.",
        "`{slug}` is not a published article.",
        "Lihat daftar yang menunggu dengan `laman social`.",
        "See what is waiting with `laman social`.",
    ),
    "SOC002": (
        "Kanal `{channel}` tidak tercantum di `channels` naskah `{slug}`.",
        "The channel `{channel}` is not listed in the `channels` of `{slug}`.",
        "Pilih salah satu dari: {channels}.",
        "Choose one of: {channels}.",
    ),
    "SOC003": (
        "Catatan unggahan `{path}` tidak dapat dibaca: {detail}.",
        "The posting record `{path}` cannot be read: {detail}.",
        "Perbaiki JSON-nya atau hapus berkas itu (akan dibuat ulang).",
        "Fix its JSON or delete the file (it will be made again).",
    ),
    # Monthly recap (pipeline/recap.py, pipeline/readers.py)
    "REC001": (
        "`{value}` bukan bulan yang sah.",
        "`{value}` is not a valid month.",
        "Tulis bulan sebagai TTTT-BB, misalnya `laman recap 2023-03`, atau pakai `--from` dan `--to`.",
        "Write the month as YYYY-MM, such as `laman recap 2023-03`, or use `--from` and `--to`.",
    ),
    "REC002": (
        "Rentang tanggal `{first}` sampai `{last}` tidak sah.",
        "The date range `{first}` to `{last}` is not valid.",
        "Tulis kedua tanggal sebagai TTTT-BB-HH, dengan `--from` tidak setelah `--to`.",
        "Write both dates as YYYY-MM-DD, with `--from` not after `--to`.",
    ),
    "REC003": (
        "Log `{path}` tidak dapat dibaca: {detail}.",
        "The log `{path}` cannot be read: {detail}.",
        "Periksa jalur dan izin baca berkas itu; berkas .gz harus utuh.",
        "Check the file's path and read permission; a .gz file must be complete.",
    ),
    "REC004": (
        "CSV tayangan tidak punya kolom: {missing}.",
        "The views CSV lacks the columns: {missing}.",
        "Baris pertama harus berisi kolom {columns}.",
        "Its first line must name the columns {columns}.",
    ),
    "REC005": (
        "Tidak ada berkas log yang cocok dengan `{pattern}`.",
        "No log file matches `{pattern}`.",
        "Sebutkan berkas, folder, atau pola seperti `'/var/log/nginx/access.log*'` (dengan tanda kutip).",
        "Name files, a folder, or a pattern such as `'/var/log/nginx/access.log*'` (quoted).",
    ),
    "REC006": (
        "Sebutkan satu periode: bulan (TTTT-BB) atau `--from` dan `--to`.",
        "Name one period: a month (YYYY-MM) or `--from` and `--to`.",
        "Contoh: `laman recap 2023-03` atau `laman recap --from 2023-03-01 --to 2023-03-15`.",
        "For example `laman recap 2023-03` or `laman recap --from 2023-03-01 --to 2023-03-15`.",
    ),
    # Commands
    "CMD001": (
        "Berkas atau folder `{path}` tidak ada.",
        "The file or folder `{path}` does not exist.",
        "Periksa jalurnya; jalankan dari folder utama repositori.",
        "Check the path; run from the repository's top folder.",
    ),
    "CMD002": (
        "Perintah git gagal: {detail}.",
        "A git command failed: {detail}.",
        "Pastikan Anda berada di dalam repositori git dan ulangi.",
        "Make sure you are inside a git repository and try again.",
    ),
    "CMD003": (
        "Berkas `{path}` sudah ada.",
        "The file `{path}` already exists.",
        "Pilih judul lain atau ubah berkas yang ada.",
        "Choose another title or edit the existing file.",
    ),
    "CMD004": (
        "Pembangunan situs dengan Pelican gagal: {detail}.",
        "The Pelican site build failed: {detail}.",
        "Perbaiki naskah yang disebut; situs yang lama tidak diubah.",
        "Fix the article named; the previous site was left as it was.",
    ),
    # Deploy (issue 25)
    "DEP007": (
        "Deploy ke {target} berhenti sebelum situs berganti: {detail}. Situs yang tayang tidak"
        " berubah{live}.",
        "The deploy to {target} stopped before the switch: {detail}. The live site did not change{live}.",
        "Periksa koneksi, izin folder, dan kunci SSH, lalu ulangi `laman deploy`; sisa unggahan ini"
        " dihapus oleh deploy berikutnya.",
        "Check the connection, the folder's permissions and the SSH key, then run `laman deploy` again;"
        " what this upload left is removed by the next deploy.",
    ),
    "DEP008": (
        "Rollback di {target} berhenti sebelum situs berganti: {detail}. Situs yang tayang tidak"
        " berubah{live}.",
        "The rollback at {target} stopped before the switch: {detail}. The live site did not change{live}.",
        "Periksa koneksi dan izin folder, lalu ulangi `laman rollback`; `laman releases {target}`"
        " menampilkan rilis yang ada.",
        "Check the connection and the folder's permissions, then run `laman rollback` again;"
        " `laman releases {target}` lists the releases there.",
    ),
    "DEP009": (
        "Deploy atau rollback lain ke {target} masih berjalan setelah ditunggu {wait} detik; tidak ada"
        " yang berubah.",
        "Another deploy or rollback to {target} was still running after {wait} seconds of waiting;"
        " nothing changed.",
        "Tunggu sampai selesai (lihat baris terakhir `deploy.log` di tujuan), lalu ulangi; atau tunggu"
        " lebih lama dengan `--wait DETIK`.",
        "Wait for it to finish (see the last line of `deploy.log` at the target), then try again; or"
        " wait longer with `--wait SECONDS`.",
    ),
    "DEP010": (
        "Situs yang tayang di {target} berasal dari commit {live}, yang tidak ada dalam riwayat build ini"
        " ({commit}): deploy ini akan memundurkan situs, atau membuang yang ditayangkan dari cabang lain."
        " Tidak ada yang berubah.",
        "The site live at {target} is from commit {live}, which is not in the history of this build"
        " ({commit}): this deploy would take the site back, or drop what was published from another"
        " branch. Nothing changed.",
        "Ambil perubahan terbaru (`git pull`), bangun ulang, lalu deploy; jika yang tayang memang keliru,"
        " kembalikan dulu dengan `laman rollback {target} --to COMMIT`.",
        "Pull the latest changes (`git pull`), build again, then deploy; if the live site is indeed"
        " wrong, roll it back first with `laman rollback {target} --to COMMIT`.",
    ),
    "DEP011": (
        "Ruang di tujuan tidak cukup: situs ini perlu {needed}, yang tersisa {free}. Tidak ada yang berubah.",
        "Not enough space at the target: this site needs {needed}, {free} is free. Nothing changed.",
        "Kosongkan ruang di server (hapus rilis lama yang tidak tayang, lihat `laman releases`, atau"
        " perbesar disk), lalu ulangi `laman deploy`.",
        "Free space on the server (remove old releases that are not live, see `laman releases`, or"
        " enlarge the disk), then run `laman deploy` again.",
    ),
    "DEP012": (
        "Disk di tujuan penuh saat situs dibongkar ({detail}): situs ini perlu {needed}, yang tersisa"
        " {free}. Situs yang tayang tidak berubah dan sisa unggahan sudah dihapus.",
        "The disk at the target filled up while the site was unpacked ({detail}): this site needs"
        " {needed}, {free} is free. The live site did not change, and the partial upload was removed.",
        "Kosongkan ruang di server (juga inode: `df -i`), lalu ulangi `laman deploy`.",
        "Free space on the server (inodes too: `df -i`), then run `laman deploy` again.",
    ),
    "DEP013": (
        "Tidak ada rilis commit lain untuk dikembalikan di tujuan ({commits} commit di `releases/`).",
        "There is no release of another commit to roll back to at the target ({commits} commit(s) in"
        " `releases/`).",
        "Lihat rilis yang ada dengan `laman releases TUJUAN`; tayangkan commit yang diinginkan dengan"
        " `laman deploy`.",
        "See the releases there with `laman releases TARGET`; publish the commit you want with"
        " `laman deploy`.",
    ),
    "DEP014": (
        "Tidak ada rilis commit `{commit}` di tujuan.",
        "No release at the target is of commit `{commit}`.",
        "`laman releases TUJUAN` menampilkan commit yang ada; sebut salah satunya (awal hash-nya cukup).",
        "`laman releases TARGET` lists the commits there; name one of them (the start of its hash is"
        " enough).",
    ),
    "DEP015": (
        "`{commit}` cocok dengan beberapa commit di tujuan: {commits}.",
        "`{commit}` matches several commits at the target: {commits}.",
        "Tulis lebih banyak karakter dari hash commit yang dimaksud.",
        "Write more characters of the commit's hash.",
    ),
    "DEP016": (
        "Situs baru sudah tayang, tetapi rilis lama `{release}` tidak dapat dihapus: {detail}.",
        "The new site is live, but the old release `{release}` could not be removed: {detail}.",
        "Tidak perlu deploy ulang. Periksa folder itu di tujuan (izin, atribut immutable, mount);"
        " deploy berikutnya mencoba menghapusnya lagi.",
        "No need to deploy again. Check that folder at the target (permissions, the immutable"
        " attribute, a mount); the next deploy tries to remove it again.",
    ),
    "DEP017": (
        "Situs sudah berganti, tetapi barisnya tidak dapat ditambahkan ke `deploy.log`: {detail}.",
        "The site has switched, but its line could not be added to `deploy.log`: {detail}.",
        "Tidak perlu mengulang. Periksa ruang disk dan izin `deploy.log` di tujuan; `laman releases`"
        " menampilkan yang tayang.",
        "No need to run it again. Check the disk space and the permissions of `deploy.log` at the"
        " target; `laman releases` shows what is live.",
    ),
    "DEP018": (
        "Sisa deploy yang gagal sebelumnya tidak dapat dihapus: `{path}`.",
        "What an earlier failed deploy left could not be removed: `{path}`.",
        "Hapus dengan tangan di tujuan (periksa izin dan atribut immutable); sisa itu memakan ruang disk.",
        "Remove it by hand at the target (check the permissions and the immutable attribute); it takes"
        " disk space.",
    ),
    "DEP019": (
        "Tujuan {target} tidak punya perintah `flock`, yang menjaga agar dua deploy tidak berjalan"
        " bersamaan. Tidak ada yang berubah.",
        "The target {target} has no `flock` command, which keeps two deploys from running at once."
        " Nothing changed.",
        "Pasang util-linux di server (`apt-get install util-linux`), lalu ulangi.",
        "Install util-linux on the server (`apt-get install util-linux`), then try again.",
    ),
    "DEP020": (
        "Situs sudah berganti (tayang: rilis {release}), tetapi proses di tujuan berhenti dengan galat"
        " sesudahnya: {detail}.",
        "The site has switched (live: release {release}), but the process at the target stopped with an"
        " error after that: {detail}.",
        "Tidak perlu mengulang. `laman releases {target}` menampilkan yang tayang; sisa yang tertinggal"
        " dihapus oleh deploy berikutnya.",
        "No need to run it again. `laman releases {target}` shows what is live; anything left behind is"
        " removed by the next deploy.",
    ),
    "DEP021": (
        "Proses di {target} terputus sebelum mengabarkan pergantian situs, dan tujuan tidak dapat"
        " ditanya lagi: {detail}.",
        "The process at {target} was cut off before it reported the switch, and the target could not be"
        " asked again: {detail}.",
        "Setelah koneksi pulih, lihat yang tayang dengan `laman releases {target}`; ulangi perintahnya"
        " bila situs belum berganti.",
        "Once the connection is back, see what is live with `laman releases {target}`; run the command"
        " again if the site did not switch.",
    ),
    "DEP022": (
        "Situs baru sudah tayang, tetapi `refs/laman/published` tidak dapat diarahkan ke {commit}: {detail}.",
        "The new site is live, but `refs/laman/published` could not be moved to {commit}: {detail}.",
        "Jalankan `git update-ref refs/laman/published {commit}` di repositori ini.",
        "Run `git update-ref refs/laman/published {commit}` in this repository.",
    ),
    "DEP023": (
        "Rilis di {target} tidak dapat dibaca: {detail}.",
        "The releases at {target} cannot be read: {detail}.",
        "Periksa koneksi, izin folder, dan kunci SSH, lalu ulangi.",
        "Check the connection, the folder's permissions and the SSH key, then try again.",
    ),
}


def choose_lang(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang` first, then LAMAN_LANG, then the locale; Indonesian unless English is asked."""
    env = os.environ if environ is None else environ
    if explicit:
        return explicit
    if env.get("LAMAN_LANG") in LANGS:
        return env["LAMAN_LANG"]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "en" if value.startswith("en") else "id"
    return "id"


def render(code: str, part: str, lang: str, args: Mapping[str, object]) -> str:
    msg_id, msg_en, fix_id, fix_en = CATALOG[code]
    template = {
        ("message", "id"): msg_id,
        ("message", "en"): msg_en,
        ("fix", "id"): fix_id,
        ("fix", "en"): fix_en,
    }[(part, lang)]
    return template.format(**{k: _pick(v, lang) for k, v in args.items()})


def _pick(value: object, lang: str) -> object:
    if isinstance(value, Mapping) and set(value) == set(LANGS):
        return value[lang]
    return value


def both(id_text: str, en_text: str) -> dict[str, str]:
    """An argument whose words depend on the language."""
    return {"id": id_text, "en": en_text}
