"""Dress an article in page chrome: a real corpus page, a content-farm template, or a clean blog.

The detector has to find a copied post inside whatever a copier wraps it in:
a real site's menus and sidebars, an aggregator's "What's Hot" and "Related
Posts" lists under a stranger's byline (seeds/001), or the plain page of an
authorized syndication. Each function returns HTML bytes (UTF-8) built only
from its arguments and ``rng``, so a seed reproduces the page exactly.
"""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .corpus import CorpusPage

__all__ = ["Block", "Quote", "clean_blog", "content_farm", "find_article_node", "into_real_page", "render_blocks"]

_WORDS = re.compile(r"\w+")
_CONTAINERS = {"div", "article", "section", "main", "td", "span", "font", "center", "body"}
_SKIP = {"script", "style", "noscript", "template", "svg"}


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation from a work: rendered as a ``<blockquote>`` that links to the original."""

    text: str
    href: str
    source_title: str


#: A block of article body: a plain paragraph (escaped into ``<p>``) or a quotation.
Block = str | Quote


def render_blocks(blocks: Sequence[Block]) -> str:
    """The article body as HTML; all text is escaped, so copied prose can never inject markup."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Quote):
            href = html.escape(block.href, quote=True)
            out.append(
                f'<blockquote cite="{href}"><p>{html.escape(block.text)}</p></blockquote>\n'
                f'<p>&mdash; from <a href="{href}">{html.escape(block.source_title)}</a></p>'
            )
        else:
            out.append(f"<p>{html.escape(block)}</p>")
    return "\n".join(out)


def _bag(text: str) -> Counter[str]:
    return Counter(word.lower() for word in _WORDS.findall(text))


def find_article_node(parser: LexborHTMLParser, ground_truth: str) -> LexborNode | None:
    """The element whose text best covers ``ground_truth`` (F1 over word counts).

    Too large an element would take the site's chrome with it, too small one
    would leave some of the real article behind; F1 balances the two.
    """
    truth = _bag(ground_truth)
    total = sum(truth.values())
    best: tuple[float, LexborNode | None] = (0.0, None)
    if not total or parser.body is None:
        return None
    for node in parser.body.traverse(include_text=False):
        if node.tag not in _CONTAINERS:
            continue
        text = node.text(separator=" ")
        if len(text) < 0.5 * len(ground_truth):
            continue
        bag = _bag(text)
        overlap = sum((bag & truth).values())
        size = sum(bag.values())
        score = 2 * overlap / (total + size) if size else 0.0
        if score >= best[0]:
            best = (score, node)
    return best[1]


def _set_title(parser: LexborHTMLParser, title: str, article: LexborNode) -> None:
    """Put our title where the page showed its own: <title>, og:title and the headline outside the body."""
    for node in parser.css("title"):
        node.inner_html = html.escape(title)
    for node in parser.css('meta[property="og:title"], meta[name="twitter:title"]'):
        node.attrs["content"] = title
    article_html = article.html or ""
    for node in parser.css("h1"):
        if (node.html or "") not in article_html:
            node.inner_html = html.escape(title)
            break
    for node in parser.css("meta[charset]"):
        node.attrs["charset"] = "utf-8"


def into_real_page(page: CorpusPage, title: str, paragraphs: Sequence[Block], rng: random.Random) -> bytes:
    """``page`` with its article replaced by ``paragraphs`` and its headline by ``title``.

    Everything around the article (menus, sidebars, related links, footer) is
    the real site's. Raises ValueError when no element holds the ground truth.
    """
    parser = LexborHTMLParser(page.html.decode("utf-8", errors="replace"))
    node = find_article_node(parser, page.ground_truth_text)
    if node is None or node.tag == "body":
        raise ValueError(f"no article container found in {page.path}")
    body = render_blocks(paragraphs)
    if rng.random() < 0.5:
        body = f"<h2>{html.escape(title)}</h2>\n{body}"
    node.inner_html = body
    _set_title(parser, title, node)
    return (parser.html or "").encode("utf-8")


def clean_blog(
    title: str,
    paragraphs: Sequence[Block],
    rng: random.Random,
    canonical: str | None = None,
    author: str | None = None,
) -> bytes:
    """A personal blog or syndication page with little chrome: a header, the post, a short footer.

    ``canonical`` adds ``<link rel="canonical">``, the mark of an authorized
    syndicated copy. Also used for the unrelated posts that carry a quotation.
    """
    site = _site_name(rng)
    date = _date(rng, "en")
    head_link = f'<link rel="canonical" href="{html.escape(canonical, quote=True)}">' if canonical else ""
    byline = (
        f'<p class="byline">By {html.escape(author)} &middot; {date}</p>' if author else f"<p class='date'>{date}</p>"
    )
    credit = ""
    if canonical and rng.random() < 0.7:
        href = html.escape(canonical, quote=True)
        credit = f'<p class="syndication">This post originally appeared on <a href="{href}">{href}</a>.</p>'
    nav = "".join(
        f'<a href="/{w.lower()}/">{w}</a> '
        for w in rng.sample(["Home", "About", "Archive", "Notes", "Talks", "Projects", "Now"], 3)
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {site}</title>{head_link}
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a class="site" href="/">{site}</a> <nav>{nav}</nav></header>
<main><article><h1>{html.escape(title)}</h1>
{byline}
{render_blocks(paragraphs)}
{credit}</article></main>
<footer><p>&copy; {date[-4:]} {site}</p></footer></body></html>""".encode()


def content_farm(
    title: str,
    paragraphs: Sequence[Block],
    rng: random.Random,
    byline: str | None = None,
    lang: str | None = None,
) -> bytes:
    """A content-farm page around the article, in one of several layouts and UI languages.

    The chrome is what seeds/001 shows: "Subscribe to Updates", "What's Hot" and
    "Related Posts" lists of unrelated headlines with dates, a category menu,
    share rows, a stranger's byline, a newsletter box, ad slots, a comment form
    and a copyright footer. ``lang`` ("en", "es", "de", "fr") is drawn when None.
    """
    lang = lang or rng.choice(["en", "en", "en", "en", "es", "de", "fr"])
    if lang not in _UI:
        raise ValueError(f"lang must be one of {sorted(_UI)}, not {lang!r}")
    farm = _Farm(rng, lang, _site_name(rng))
    return farm.page(title, render_blocks(paragraphs), byline or _stranger(rng)).encode()


# --- content-farm vocabulary: UI strings per language, and word lists for unrelated headlines ---

_UI_TEXT = {
    "en": """
subscribe=Subscribe to Updates; blurb=Get the latest creative news from {site} about art, design and business.;
hot=What's Hot; trending=Trending; top=Top Posts; related=Related Posts; miss=Don't Miss; popular=Most Popular;
latest=Latest Posts; by=By; share=Share; nocom=No Comments; read={n} Mins Read; views={n} Views;
reply=Leave A Reply; comment=Comment; name=Name; email=Email; website=Website; post=Post Comment;
news=Join our newsletter; ad=Advertisement; newsblurb=The best stories, delivered to your inbox every week.;
signup=Sign Up; rights=All rights reserved.; home=Home; privacy=Privacy Policy; contact=Contact Us;
about=About Us; menu=Close Menu; tags=Tags;
cats=AI Tools|Online Tools|Tech News|Guides|Reviews|SEO & Marketing|Social Media|Business|Lifestyle|Science;
months=January February March April May June July August September October November December;
date={month} {day}, {year}
""",
    "es": """
subscribe=Suscríbete a las novedades; blurb=Recibe las últimas noticias de {site} sobre tecnología y negocios.;
hot=Lo más caliente; trending=Tendencias; top=Entradas principales; related=Artículos relacionados;
miss=No te lo pierdas; popular=Lo más popular; latest=Últimas entradas; by=Por; share=Compartir;
nocom=Sin comentarios; read={n} min de lectura; views={n} vistas; reply=Deja una respuesta; comment=Comentario;
name=Nombre; email=Correo electrónico; website=Web; post=Publicar comentario; news=Únete a nuestro boletín;
newsblurb=Las mejores historias, cada semana en tu correo.; signup=Suscribirse; ad=Publicidad;
rights=Todos los derechos reservados.; home=Inicio; privacy=Política de privacidad; contact=Contacto;
about=Quiénes somos; menu=Cerrar menú; tags=Etiquetas;
cats=Inteligencia Artificial|Herramientas|Noticias|Guías|Reseñas|Marketing|Redes Sociales|Negocios|Estilo de vida;
months=enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre;
date={day} de {month} de {year}
""",
    "de": """
subscribe=Updates abonnieren; blurb=Die neuesten Nachrichten von {site} über Technik, Design und Business.;
hot=Angesagt; trending=Im Trend; top=Top-Beiträge; related=Ähnliche Beiträge; miss=Nicht verpassen;
popular=Am beliebtesten; latest=Neueste Beiträge; by=Von; share=Teilen; nocom=Keine Kommentare;
read={n} Min. Lesezeit; views={n} Aufrufe; reply=Hinterlasse eine Antwort; comment=Kommentar; name=Name;
email=E-Mail; website=Website; post=Kommentar abschicken; news=Newsletter abonnieren;
newsblurb=Die besten Geschichten jede Woche in Ihrem Postfach.; signup=Anmelden; ad=Anzeige;
rights=Alle Rechte vorbehalten.; home=Startseite; privacy=Datenschutz; contact=Kontakt; about=Über uns;
menu=Menü schließen; tags=Schlagwörter;
cats=KI-Tools|Online-Tools|Tech-News|Ratgeber|Tests|SEO & Marketing|Soziale Medien|Wirtschaft|Lifestyle;
months=Januar Februar März April Mai Juni Juli August September Oktober November Dezember;
date={day}. {month} {year}
""",
    "fr": """
subscribe=Abonnez-vous aux mises à jour; blurb=Les dernières actualités de {site} sur la tech et le business.;
hot=À la une; trending=Tendances; top=Articles populaires; related=Articles similaires; miss=À ne pas manquer;
popular=Les plus lus; latest=Derniers articles; by=Par; share=Partager; nocom=Aucun commentaire;
read={n} min de lecture; views={n} vues; reply=Laisser un commentaire; comment=Commentaire; name=Nom;
email=E-mail; website=Site web; post=Publier le commentaire; news=Inscrivez-vous à la newsletter;
newsblurb=Les meilleures histoires, chaque semaine.; signup=S'inscrire; ad=Publicité;
rights=Tous droits réservés.; home=Accueil; privacy=Politique de confidentialité; contact=Contact;
about=À propos; menu=Fermer le menu; tags=Étiquettes;
cats=Outils IA|Outils en ligne|Actualités|Guides|Tests|Marketing|Réseaux sociaux|Business|Style de vie;
months=janvier février mars avril mai juin juillet août septembre octobre novembre décembre;
date={day} {month} {year}
""",
}
_HEADLINE_TEXT = {
    "en": """
{n} {adj} Ways to {verb} Your {noun}
Why {nouns} Are the Future of {field}
How to {verb} Your {noun} in {year}
The Best {nouns} for {who} in {year}
{brand} Unveils New {noun} for {who}
At Least {n} People {event} in {place} After {disaster}
Here's How I Turned a {gadget} Into a {noun}
Everything You Need to Know About {nouns}
{place} {who} Say {nouns} Are Getting {adjc}
{n} {nouns} Under $100 That Actually Work
--
adj=Simple|Proven|Easy|Smart|Creative|Quick|Surprising|Cheap|Clever;
verb=Boost|Upgrade|Protect|Organize|Clean|Secure|Refresh|Declutter;
noun=Garden|Budget|Kitchen|Laptop|Morning Routine|Wardrobe|Home Office|Podcast|Portfolio|Smart Home|Car;
nouns=Electric Cars|Smartwatches|Air Fryers|Heat Pumps|Crypto Wallets|VPNs|Standing Desks|E-Bikes|Drones;
field=Retail|Healthcare|Travel|Farming|Fitness|Banking|Education|Gaming;
who=Beginners|Students|Small Businesses|Travelers|Gamers|Parents|Freelancers|Seniors;
brand=Zentrix|Novalink|Orbify|Kapture|Quantix|Lumora|Vexel;
place=Texas|Lagos|Manila|Ohio|Karachi|Sydney|Peru|Nairobi; event=Evacuated|Stranded|Injured|Rescued|Missing;
disaster=Bridge Collapse|Flash Floods|Storm|Landslide|Power Outage;
gadget=Raspberry Pi|Old Tablet|Smart Speaker|Broken Laptop|Spare Phone;
adjc=Cheaper|Smarter|Harder to Find|More Popular
""",
    "es": """
{n} formas {adj} de {verb} tu {noun}
Por qué {nouns} son el futuro de {field}
Cómo {verb} tu {noun} en {year}
Los mejores {nouns} para {who} en {year}
--
adj=sencillas|rápidas|probadas|baratas; verb=mejorar|organizar|proteger|renovar;
noun=jardín|presupuesto|cocina|portátil|negocio;
nouns=coches eléctricos|relojes inteligentes|patinetes|auriculares;
field=la educación|el turismo|la salud|la banca; who=principiantes|estudiantes|autónomos|viajeros
""",
    "de": """
{n} {adj} Tipps für Ihren {noun}
Warum {nouns} die Zukunft {field} sind
So {verb} Sie Ihren {noun} im Jahr {year}
Die besten {nouns} für {who} ({year})
--
adj=einfache|bewährte|schnelle|günstige; verb=verbessern|organisieren|schützen|modernisieren;
noun=Garten|Haushalt|Laptop|Arbeitsplatz; nouns=Elektroautos|Smartwatches|Wärmepumpen|E-Bikes;
field=der Bildung|des Reisens|der Medizin|des Handels; who=Anfänger|Studenten|Selbstständige|Familien
""",
    "fr": """
{n} astuces {adj} pour {verb} votre {noun}
Pourquoi {nouns} sont l'avenir de {field}
Comment {verb} votre {noun} en {year}
Les meilleurs {nouns} pour {who} en {year}
--
adj=simples|rapides|efficaces|malines; verb=améliorer|organiser|protéger|rénover;
noun=jardin|budget|cuisine|ordinateur;
nouns=vélos électriques|montres connectées|aspirateurs robots|casques audio;
field=l'éducation|la santé|la finance|l'agriculture; who=débutants|étudiants|indépendants|voyageurs
""",
}


def _parse_fields(text: str) -> dict[str, str]:
    """``key=value; key=value`` pairs, the compact form the UI strings and word lists are kept in."""
    pairs = (item.partition("=") for item in text.replace("\n", " ").split(";") if item.strip())
    return {key.strip(): value.strip() for key, _, value in pairs}


_UI: dict[str, dict[str, str]] = {lang: _parse_fields(text) for lang, text in _UI_TEXT.items()}
_HEADLINES: dict[str, tuple[list[str], dict[str, str]]] = {
    lang: (text.split("--")[0].split("\n")[1:-1], _parse_fields(text.split("--")[1]))
    for lang, text in _HEADLINE_TEXT.items()
}

_SYLLABLES = ["sky", "tik", "zen", "ora", "vox", "nex", "lum", "tek", "qui", "byt", "pix", "ara", "vol", "mer", "kin"]
_SITE_SUFFIX = ["", "", "Hub", "News", "Buzz", "Daily", "Post", "Wire", "Times", "Tech"]
_FIRST = ["Awais", "Admin", "Ravi", "Maria", "Jonas", "Chen", "Fatima", "Leo", "Priya", "Omar", "Sofia", "Daniel"]
_LAST = ["", "", "Khan", "Silva", "Müller", "Wang", "Ahmed", "Rossi", "Garcia", "Novak", "Team"]
_PREFIXES = ["td", "jeg", "mvp", "tdb", "elementor", "penci", "herald", "gp", "post"]
_SHARE = ["Facebook", "Twitter", "Pinterest", "LinkedIn", "Email", "Telegram", "WhatsApp", "Tumblr", "Reddit"]


def _site_name(rng: random.Random) -> str:
    name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice([2, 2, 3]))).capitalize()
    return f"{name} {rng.choice(_SITE_SUFFIX)}".strip()


def _stranger(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}".strip()


def _date(rng: random.Random, lang: str) -> str:
    months = _UI[lang]["months"].split()
    return _UI[lang]["date"].format(
        month=rng.choice(months), day=rng.randint(1, 28), year=rng.choice([2024, 2025, 2026])
    )


def _slug(text: str) -> str:
    return re.sub(r"\W+", "-", text.lower()).strip("-")


def _headline(rng: random.Random, lang: str) -> str:
    """An unrelated post title from templates and word lists, as a farm's sidebars are full of."""
    templates, words = _HEADLINES[lang]
    fill = {key: rng.choice(options.split("|")) for key, options in words.items()}
    return rng.choice(templates).format(n=rng.randint(3, 15), year=rng.choice([2024, 2025, 2026]), **fill)


class _Farm:
    """One content-farm site: its name, UI language and CSS prefix, and the widgets it is built from."""

    def __init__(self, rng: random.Random, lang: str, site: str) -> None:
        self.rng, self.lang, self.site = rng, lang, site
        self.ui = {key: html.escape(value) for key, value in _UI[lang].items()}
        self.p = rng.choice(_PREFIXES)

    def _post_link(self, dated: bool) -> str:
        title = _headline(self.rng, self.lang)
        when = f" <time>{_date(self.rng, self.lang)}</time>" if dated else ""
        return f'<li><a href="/{_slug(title)}/">{html.escape(title)}</a>{when}</li>'

    def links(self, key: str, dated: bool = True) -> str:
        """A titled list of unrelated posts ("What's Hot", "Related Posts", ...)."""
        items = "".join(self._post_link(dated) for _ in range(self.rng.randint(3, 6)))
        heading = f'<h3 class="{self.p}-block-title">{self.ui[key]}</h3>'
        return f'<section class="{self.p}-block">{heading}<ul>{items}</ul></section>'

    def nav(self) -> str:
        cats = self.ui["cats"].split("|")
        chosen = [self.ui["home"]] + self.rng.sample(cats, self.rng.randint(4, len(cats)))
        items = "".join(f'<li><a href="/category/{_slug(c)}/">{c}</a></li>' for c in chosen)
        return f'<nav class="{self.p}-main-menu"><ul>{items}</ul></nav>'

    def share(self) -> str:
        names = self.rng.sample(_SHARE, self.rng.randint(4, 7))
        buttons = " ".join(f'<a class="share-{n.lower()}" href="#">{n}</a>' for n in names)
        return f'<div class="{self.p}-social-share"><span>{self.ui["share"]}</span> {buttons}</div>'

    def meta(self, byline: str) -> str:
        bits = [
            f'{self.ui["by"]} <a rel="author" href="/author/{_slug(byline)}/">{html.escape(byline)}</a>',
            f"<time>{_date(self.rng, self.lang)}</time>",
            self.ui["nocom"],
            self.ui["read"].format(n=self.rng.randint(3, 12)),
            self.ui["views"].format(n=self.rng.randint(0, 900)),
        ]
        return f'<div class="{self.p}-post-meta">{" ".join(bits[: self.rng.randint(3, 5)])}</div>'

    def subscribe(self) -> str:
        blurb = self.ui["blurb"].format(site=html.escape(self.site))
        return (
            f'<div class="{self.p}-subscribe"><h3>{self.ui["subscribe"]}</h3><p>{blurb}</p>'
            f'<form><input type="email" placeholder="{self.ui["email"]}">'
            f"<button>{self.ui['signup']}</button></form></div>"
        )

    def newsletter(self) -> str:
        return (
            f'<div class="newsletter-box"><h4>{self.ui["news"]}</h4><p>{self.ui["newsblurb"]}</p>'
            f'<form><input type="email" name="email"><button type="submit">{self.ui["signup"]}</button></form></div>'
        )

    def ad(self) -> str:
        slot = self.rng.randrange(10**9, 10**10)
        slot_html = f'<ins class="adsbygoogle" data-ad-slot="{slot}"></ins>'
        return f'<div class="ad-slot {self.p}-ad"><span>{self.ui["ad"]}</span>{slot_html}</div>'

    def comment_form(self) -> str:
        fields = "".join(f'<p><label>{self.ui[k]}</label><input name="{k}"></p>' for k in ("name", "email", "website"))
        return (
            f'<div id="respond"><h3>{self.ui["reply"]}</h3><form><p><label>{self.ui["comment"]}</label>'
            f'<textarea name="comment"></textarea></p>{fields}<button>{self.ui["post"]}</button></form></div>'
        )

    def footer(self) -> str:
        year = self.rng.choice([2024, 2025, 2026])
        links = " ".join(f'<a href="/{k}/">{self.ui[k]}</a>' for k in ("about", "contact", "privacy"))
        notice = f"&copy; {year} {html.escape(self.site)}. {self.ui['rights']}"
        return f'<footer class="{self.p}-footer"><p>{links}</p><p>{notice}</p></footer>'

    def maybe(self, part: str, chance: float = 0.7) -> str:
        return part if self.rng.random() < chance else ""

    def article(self, title: str, body: str, byline: str) -> str:
        cat = self.rng.choice(self.ui["cats"].split("|"))
        crumbs = f'<div class="breadcrumbs">{self.ui["home"]} &raquo; {cat} &raquo; {html.escape(title)}</div>'
        head = f'{self.maybe(crumbs)}<span class="cat">{cat}</span><h1 class="entry-title">{html.escape(title)}</h1>'
        top = self.meta(byline) + self.share()
        tail = self.maybe(self.share()) + self.maybe(f'<div class="tags">{self.ui["tags"]}: {cat}</div>', 0.4)
        content = f'<div class="entry-content">{self.maybe(self.ad(), 0.4)}\n{body}\n</div>'
        return f'<article class="{self.p}-post">{head}{top}{content}{tail}</article>'

    def page(self, title: str, body: str, byline: str) -> str:
        """The whole page in one of three layouts, widgets drawn by the rng."""
        article = self.article(title, body, byline)
        site = f'<a class="{self.p}-logo" href="/">{html.escape(self.site)}</a>'
        layout = self.rng.randrange(3)
        if layout == 0:
            menu = f'<a href="#">{self.ui["menu"]}</a>'
            top = f'<div class="top-bar">{menu}{site}{self.subscribe()}{self.links("hot")}</div>'
            main = f"<main>{article}{self.links('related')}{self.maybe(self.comment_form())}</main>"
            aside = f"<aside>{self.links('top', False)}{self.links('miss')}{self.maybe(self.ad())}</aside>"
            inner = f"{top}<header>{site}{self.nav()}</header>{main}{aside}"
        elif layout == 1:
            ticker = f'<div class="ticker">{self.links("trending", False)}</div>'
            aside = f'<aside class="left">{self.links("popular")}{self.ad()}{self.maybe(self.subscribe())}</aside>'
            extras = self.maybe(self.newsletter()) + self.maybe(self.comment_form(), 0.5)
            main = f"<main>{article}{self.links('miss')}{extras}</main>"
            inner = f"<header>{site}{self.nav()}{ticker}</header>{aside}{main}"
        else:
            main = f"<main>{article}{self.ad()}{self.links('related')}{self.maybe(self.links('latest'))}</main>"
            inner = f"<header>{site}{self.nav()}</header>{main}{self.newsletter()}"
        return (
            f'<!doctype html><html lang="{self.lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)} - {html.escape(self.site)}</title></head>"
            f'<body class="{self.p}-layout-{layout}">{inner}{self.footer()}</body></html>'
        )
