"""Build examples/demo/corpus/archive/demo.warc.gz for the storyline demo corpus.

Everything in the archive is fiction written for storyline (see examples/demo/README.md).
The archive holds, in order:

  1. a warcinfo record;
  2. for each of the four news pages below: a request record (GET) for the first two
     pages only, then a 200 text/html response;
  3. two non-HTML responses the ingester must skip: an image/png and an
     application/json comment-count response.

The output is deterministic: record ids and WARC-Dates are fixed and warcio writes
gzip members with a zero mtime, so re-running produces identical bytes.

WARC-Date is the (invented) crawl time, 10 June 2025, and is NOT the publication date
of the pages; each page carries its own article:published_time.

Usage:  .venv/bin/python examples/demo/build_warc.py [output-path]
"""
import io
import json
import os
import struct
import sys
import uuid
import zlib

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "corpus", "archive", "demo.warc.gz")
NS = uuid.UUID("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e")

# (target URI, crawl time, HTML)
PAGES = [
    (
        "https://www.dailyklaxon.example/news/halask-coming-brisany-summit-tomorrow",
        "2025-06-10T12:00:05Z",
        """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>HALASK'S COMING! Tavrenian boss lands in Brisany tomorrow for 'make or break' summit | The Daily Klaxon</title>
  <meta name="description" content="He&#x27;s the man whose coastguards grabbed our trawlers — and tomorrow he&#x27;ll be shaking hands with our President on Brisany&#x27;s quayside.">
  <meta property="og:site_name" content="The Daily Klaxon">
  <meta property="og:type" content="article">
  <meta property="og:title" content="HALASK&#x27;S COMING! Tavrenian boss lands in Brisany tomorrow for &#x27;make or break&#x27; summit">
  <meta property="og:url" content="https://www.dailyklaxon.example/news/halask-coming-brisany-summit-tomorrow">
  <link rel="canonical" href="https://www.dailyklaxon.example/news/halask-coming-brisany-summit-tomorrow">
  <meta property="article:published_time" content="2024-03-13T21:00:00Z">
  <meta property="article:section" content="News">
  <meta name="author" content="Benny Slate">
  <link rel="stylesheet" href="/static/css/main.css">
</head>
<body>
  <div class="ticker"><strong>BREAKING</strong> <a href="/showbiz/">Reality star's secret wedding on Kessmark rooftop</a></div>
  <header><a class="logo" href="/">THE DAILY KLAXON</a>
    <nav><a href="/news/">News</a> | <a href="/showbiz/">Showbiz</a> | <a href="/sport/">Sport</a> | <a href="/money/">Money</a> | <a href="/tv/">Klaxon TV</a> | <a href="/puzzles/">Puzzles</a></nav>
  </header>
  <div id="main">
    <article class="story">
      <h1>HALASK'S COMING! Tavrenian boss lands in Brisany tomorrow for 'make or break' summit</h1>
      <div class="author-box">By <b>BENNY SLATE</b>, Chief Reporter<br>Published: <time datetime="2024-03-13T21:00:00Z">21:00, 13 Mar 2024</time></div>
      <div class="share-bar"><a href="#">SHARE</a> <a href="#">WHATSUP</a> <a href="#">EMAIL</a> <span class="comment-count">COMMENTS</span></div>
      <div class="story-body">
      <p>He's the man whose coastguards grabbed our trawlers — and tomorrow he'll be shaking hands with our President on Brisany's quayside.</p>
      <p>Tavrenian President Corvin Halask flies into Valdoria tonight ahead of crunch talks with President Anselm Drevik on Thursday, the first time a Tavrenian leader has set foot here in five years.</p>
      <figure class="pic">
        <img src="/media/halask-coming-brisany-su.jpg" alt="" width="960" height="540" loading="lazy">
        <figcaption>Brisany harbour, where the leaders will meet. © Klaxon Pictures</figcaption>
      </figure>
      <p>Klaxon readers told us they want one thing out of the summit: our boats back in the strait without fear.</p>
      <p>“If he wants our business he can start by saying sorry,” fumed Brisany skipper Lars Penn, 58, who lost a month's catch when his boat was turned back in 2021.</p>
      <p class="read-more"><a href="/campaigns/our-boats-our-water">Read more: OUR BOATS, OUR WATER — the Klaxon campaign</a></p>
      <p>Insiders say Drevik will push for the Ostel ferry to sail again by summer. A palace insider told the Klaxon: “The President wants the ferry, the fish and a photo. In that order.”</p>
      <p>There are also whispers that Kessmark has its eye on Halask's fancy Skylark spy drones — though officials insist that's “not for this week”.</p>
      <p>Roads around the harbour will be shut from 8am. Brisany council has warned of “significant delays”.</p>
      </div>
      <div class="tip-box"><strong>Got a story?</strong> Email news@dailyklaxon.example or call the newsdesk. We pay for stories.</div>
    </article>
    <div class="sidebar"><h3>MOST READ</h3><ul><li><a href="#">Pensioner's cat finds way home after 400km</a></li><li><a href="#">Klaxon Bingo: win a caravan</a></li></ul></div>
  </div>
  <section id="comments" class="comments-area">
    <div id="respond" class="comment-respond">
      <h3 class="comment-reply-title">Have your say — Leave a Reply</h3>
      <form action="/wp-comments-post.php" method="post" id="commentform">
        <p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
        <p><label for="comment">Comment *</label><textarea id="comment" name="comment" rows="6"></textarea></p>
        <p><label for="author">Name *</label><input id="author" name="author" type="text"></p>
        <p><label for="email">Email *</label><input id="email" name="email" type="email"></p>
        <p><input type="checkbox" id="save-info"> Save my name, email, and website in this browser for the next time I comment.</p>
        <p><input type="submit" value="Post Comment"></p>
      </form>
    </div>
  </section>
  <footer><p>&copy; Klaxon Newspapers 2024. Part of Klaxon Media Group.</p><a href="/privacy">Privacy</a> <a href="/cookies">Cookies</a> <a href="/complaints">Complaints</a></footer>
</body>
</html>
""",
    ),
    (
        "https://www.northgate-herald.example/national/2024/11/21/brennick-denies-alarm-switched-off-kellby",
        "2025-06-10T12:00:09Z",
        """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Brennick denies alarm was switched off as Kellby fire inquiry begins | Northgate Herald</title>
  <meta name="description" content="The owner of the plastics factory near Brisany where two workers died in a fire on Tuesday has denied claims that a fire alarm in its storage hall had">
  <meta property="og:site_name" content="Northgate Herald">
  <meta property="og:type" content="article">
  <meta property="og:title" content="Brennick denies alarm was switched off as Kellby fire inquiry begins">
  <meta property="og:url" content="https://www.northgate-herald.example/national/2024/11/21/brennick-denies-alarm-switched-off-kellby">
  <link rel="canonical" href="https://www.northgate-herald.example/national/2024/11/21/brennick-denies-alarm-switched-off-kellby">
  <meta property="article:published_time" content="2024-11-21T17:00:00Z">
  <meta property="article:section" content="National">
  <meta name="author" content="Elin Marsh">
  <link rel="stylesheet" href="/static/css/main.css">
</head>
<body class="article-page">
  <div class="cookie-banner" role="dialog">We use cookies to improve your experience and to show relevant advertising. <button>Accept all</button> <button>Manage settings</button></div>
  <header class="site-header">
    <a class="logo" href="/">Northgate Herald</a>
    <p class="tagline">Valdoria's independent daily since 1887</p>
    <nav class="main-nav">
      <ul>
        <li><a href="/">Home</a></li><li><a href="/politics/">Politics</a></li><li><a href="/national/">National</a></li>
        <li><a href="/world/">World</a></li><li><a href="/business/">Business</a></li><li><a href="/sport/">Sport</a></li>
        <li><a href="/culture/">Culture</a></li><li><a href="/opinion/">Opinion</a></li>
      </ul>
      <a class="subscribe" href="/subscribe">Subscribe from 9 crowns a month</a> <a href="/login">Log in</a>
    </nav>
  </header>
  <div class="ad-slot leaderboard">Advertisement</div>
  <main>
    <article class="article">
      <p class="kicker"><a href="/national/">National</a></p>
      <h1 class="headline">Brennick denies alarm was switched off as Kellby fire inquiry begins</h1>
      <p class="byline">By <a rel="author" href="/authors/elin-marsh">Elin Marsh</a> &middot; <time datetime="2024-11-21T17:00:00Z">Thursday 21 November 2024, 17:00</time></p>
      <ul class="share-tools"><li><button>Share</button></li><li><button>Email</button></li><li><button>Copy link</button></li><li><button>Save</button></li></ul>
      <div class="article-body">
        <p>The owner of the plastics factory near Brisany where two workers died in a fire on Tuesday has denied claims that a fire alarm in its storage hall had been disabled.</p>
        <figure class="figure">
          <img src="/media/brennick-denies-alarm-sw.jpg" alt="" width="960" height="540" loading="lazy">
          <figcaption>Flowers at the gates of the Kellby industrial estate. © PICTURA/Lena Osk</figcaption>
        </figure>
        <p>“Every alarm in the building was working and was tested in October,” Brennick Plastics managing director Rolf Brennick said in a statement on Thursday. “Claims to the contrary are false and hurtful to the families.”</p>
        <p>Interior Ministry spokeswoman Dana Ferreck said the death toll remained at two, correcting earlier reports of a third death. One of the injured was still in intensive care.</p>
        <p class="read-more"><a href="/national/2024/11/19/fire-plastics-factory-brisany-two-dead">Read more: Two killed in night fire at Brisany plastics factory</a></p>
        <p>Ferreck said investigators from the national fire safety office had begun work at the site on Wednesday and would examine the alarm system “as a matter of routine”.</p>
        <p>The two victims were named by relatives as Tomas Wel, 34, and Agnete Rusk, 51, both from Kellby.</p>
        <p>About 180 of the plant's 230 workers have been sent home on full pay while the production hall is assessed, the company said. A vigil is planned at the estate gates on Saturday.</p>
      </div>
      <p class="correction-policy"><a href="/corrections">Spotted an error? See our corrections policy</a></p>
      <ul class="tags"><li><a href="/topics/valdoria">Valdoria</a></li><li><a href="/topics/brisany">Brisany</a></li></ul>
    </article>
    <aside class="most-read">
      <h2>Most read</h2>
      <ol><li><a href="/culture/opera-season-kessmark">Kessmark opera announces its shortest season in decades</a></li><li><a href="/sport/harbour-regatta-results">Harbour regatta: full results</a></li><li><a href="/opinion/letters">Letters: on parking, pensions and the price of herring</a></li></ol>
    </aside>
  </main>
  <section id="comments" class="comments-area">
    <div id="respond" class="comment-respond">
      <h3 class="comment-reply-title">Leave a Reply</h3>
      <form action="/wp-comments-post.php" method="post" id="commentform">
        <p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
        <p><label for="comment">Comment *</label><textarea id="comment" name="comment" rows="6"></textarea></p>
        <p><label for="author">Name *</label><input id="author" name="author" type="text"></p>
        <p><label for="email">Email *</label><input id="email" name="email" type="email"></p>
        <p><input type="checkbox" id="save-info"> Save my name, email, and website in this browser for the next time I comment.</p>
        <p><input type="submit" value="Post Comment"></p>
      </form>
    </div>
  </section>
  <footer class="site-footer">
    <ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li><li><a href="/advertise">Advertise</a></li></ul>
    <p>&copy; 2024 Northgate Herald Media Ltd. All rights reserved.</p>
  </footer>
</body>
</html>
""",
    ),
    (
        "https://www.coastalcourier.example/news/local/summit-day-harbour-road-shut-5388",
        "2025-06-10T12:00:14Z",
        """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Summit day: harbour road shut from 7am as Halask returns | Brisany Coastal Courier</title>
  <meta name="description" content="The harbour road and the lower town will be closed to traffic from 7am today as President Corvin Halask of Tavrenia returns to Brisany for his second ">
  <meta property="og:site_name" content="Brisany Coastal Courier">
  <meta property="og:type" content="article">
  <meta property="og:title" content="Summit day: harbour road shut from 7am as Halask returns">
  <meta property="og:url" content="https://www.coastalcourier.example/news/local/summit-day-harbour-road-shut-5388">
  <link rel="canonical" href="https://www.coastalcourier.example/news/local/summit-day-harbour-road-shut-5388">
  <meta property="article:published_time" content="2025-03-14T07:30:00Z">
  <meta property="article:section" content="Local">
  <meta name="author" content="Maren Ketteridge">
  <link rel="stylesheet" href="/static/css/main.css">
</head>
<body class="single-post">
  <div class="topbar">Brisany 11&deg;C, light rain &middot; High tide 14:52 &middot; <a href="/e-edition">Today's e-edition</a></div>
  <header class="masthead"><a href="/" class="brand">Brisany Coastal Courier</a>
    <nav class="primary"><ul><li><a href="/news/">News</a></li><li><a href="/news/local/">Local</a></li><li><a href="/news/business/">Business</a></li><li><a href="/sport/">Sport</a></li><li><a href="/harbour/">Harbour</a></li><li><a href="/whats-on/">What's on</a></li><li><a href="/obituaries/">Obituaries</a></li></ul></nav>
  </header>
  <main class="content">
    <article class="post">
      <h1 class="post-title">Summit day: harbour road shut from 7am as Halask returns</h1>
      <div class="post-meta"><span class="author">Maren Ketteridge</span> <span class="sep">|</span> <span class="date">14/03/2025</span></div>
      <div class="post-content">
      <p>The harbour road and the lower town will be closed to traffic from 7am today as President Corvin Halask of Tavrenia returns to Brisany for his second summit with President Anselm Drevik in twelve months.</p>
      <figure class="figure">
        <img src="/media/summit-day-harbour-road-.jpg" alt="" width="960" height="540" loading="lazy">
        <figcaption>The harbour road at dawn on summit day. © Coastal Courier/Pim Rask</figcaption>
      </figure>
      <p>Buses 4 and 9 will divert along Fennel Street until the motorcade has left, which the council expects to be in the middle of the afternoon. The ferry to Ostel will sail as normal, but passengers are asked to arrive an hour early because of security checks at the terminal.</p>
      <p>Last year's visit closed the quay for most of a day and left traders in the lower town complaining of lost takings. This time the council has offered stallholders on the Fish Steps a payment of 300 crowns each for the disruption.</p>
      <p class="read-more"><a href="/news/local/halask-visit-what-the-city-saw-4471">Read more: Halask's first visit: what the city saw</a></p>
      <p>“Three hundred crowns is one good morning,” said Hedda Vos, whose café faces the ferry terminal. “I'd rather have the customers.”</p>
      <p>The talks, at the harbour authority building, are expected to focus on the purchase of Skylark SR-4 surveillance drones for the coastguard. A protest by fishing crews is planned at the inner basin, organisers said.</p>
      <p>Police said they expected about 300 officers to be on duty, including units from Kessmark.</p>
      </div>
      <div class="share">Share this: <a href="#">Email</a> <a href="#">Print</a> <a href="#">Copy link</a></div>
      <div class="newsletter">Get the Courier's morning briefing in your inbox. <a href="/newsletter">Sign up</a></div>
    </article>
  </main>
  <section id="comments" class="comments-area">
    <div id="respond" class="comment-respond">
      <h3 class="comment-reply-title">Leave a Reply</h3>
      <form action="/wp-comments-post.php" method="post" id="commentform">
        <p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
        <p><label for="comment">Comment *</label><textarea id="comment" name="comment" rows="6"></textarea></p>
        <p><label for="author">Name *</label><input id="author" name="author" type="text"></p>
        <p><label for="email">Email *</label><input id="email" name="email" type="email"></p>
        <p><input type="checkbox" id="save-info"> Save my name, email, and website in this browser for the next time I comment.</p>
        <p><input type="submit" value="Post Comment"></p>
      </form>
    </div>
  </section>
  <footer class="site-footer"><p>Brisany Coastal Courier, 4 Quay Street, Brisany. &copy; Courier Regional Press.</p><p><a href="/about">About</a> &middot; <a href="/contact">Contact the newsroom</a> &middot; <a href="/privacy">Privacy</a></p></footer>
</body>
</html>
""",
    ),
    (
        "https://www.coastalcourier.example/news/local/cranes-turn-again-strike-ends-5741",
        "2025-06-10T12:00:21Z",
        """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Cranes turn again as strike ends; union says deal is worth 6.5 percent | Brisany Coastal Courier</title>
  <meta name="description" content="The first container came off a ship at Terminal 2 at 6:40 on Monday morning, to applause from a small crowd at Gate 5, ending eight days of strike at ">
  <meta property="og:site_name" content="Brisany Coastal Courier">
  <meta property="og:type" content="article">
  <meta property="og:title" content="Cranes turn again as strike ends; union says deal is worth 6.5 percent">
  <meta property="og:url" content="https://www.coastalcourier.example/news/local/cranes-turn-again-strike-ends-5741">
  <link rel="canonical" href="https://www.coastalcourier.example/news/local/cranes-turn-again-strike-ends-5741">
  <meta property="article:published_time" content="2025-06-09T16:00:00Z">
  <meta property="article:section" content="Local">
  <meta name="author" content="Maren Ketteridge">
  <link rel="stylesheet" href="/static/css/main.css">
</head>
<body class="single-post">
  <div class="topbar">Brisany 11&deg;C, light rain &middot; High tide 14:52 &middot; <a href="/e-edition">Today's e-edition</a></div>
  <header class="masthead"><a href="/" class="brand">Brisany Coastal Courier</a>
    <nav class="primary"><ul><li><a href="/news/">News</a></li><li><a href="/news/local/">Local</a></li><li><a href="/news/business/">Business</a></li><li><a href="/sport/">Sport</a></li><li><a href="/harbour/">Harbour</a></li><li><a href="/whats-on/">What's on</a></li><li><a href="/obituaries/">Obituaries</a></li></ul></nav>
  </header>
  <main class="content">
    <article class="post">
      <h1 class="post-title">Cranes turn again as strike ends; union says deal is worth 6.5 percent</h1>
      <div class="post-meta"><span class="author">Maren Ketteridge</span> <span class="sep">|</span> <span class="date">09/06/2025</span></div>
      <div class="post-content">
      <p>The first container came off a ship at Terminal 2 at 6:40 on Monday morning, to applause from a small crowd at Gate 5, ending eight days of strike at the port of Brisany.</p>
      <figure class="figure">
        <img src="/media/cranes-turn-again-strike.jpg" alt="" width="960" height="540" loading="lazy">
        <figcaption>The first container of the morning at Terminal 2. © Coastal Courier/Pim Rask</figcaption>
      </figure>
      <p>Under the agreement, dockworkers will receive 6.5 percent over two years and a one-off payment of 1,000 crowns, according to details the union gave its members on Sunday night. Other reports have put the rise at 7 percent; the union said that figure included the one-off payment.</p>
      <p>Remote-controlled cranes will not be introduced at Terminal 2 until 2027.</p>
      <p class="read-more"><a href="/news/local/strike-day-two-queues-of-trucks-quiet-quay-5702">Read more: Strike day two: queues of trucks and a quiet quay</a></p>
      <p>“I'll take it,” said crane driver Piet Loman. “Ask me again in 2027.”</p>
      <p>Harbour master Ivo Brandt said 23 ships were waiting in the outer roads and that the port would work extra night shifts until they had been cleared.</p>
      <p>Traders on the Fish Steps said the week had been their quietest June in memory.</p>
      </div>
      <div class="share">Share this: <a href="#">Email</a> <a href="#">Print</a> <a href="#">Copy link</a></div>
      <div class="newsletter">Get the Courier's morning briefing in your inbox. <a href="/newsletter">Sign up</a></div>
    </article>
  </main>
  <section id="comments" class="comments-area">
    <div id="respond" class="comment-respond">
      <h3 class="comment-reply-title">Leave a Reply</h3>
      <form action="/wp-comments-post.php" method="post" id="commentform">
        <p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
        <p><label for="comment">Comment *</label><textarea id="comment" name="comment" rows="6"></textarea></p>
        <p><label for="author">Name *</label><input id="author" name="author" type="text"></p>
        <p><label for="email">Email *</label><input id="email" name="email" type="email"></p>
        <p><input type="checkbox" id="save-info"> Save my name, email, and website in this browser for the next time I comment.</p>
        <p><input type="submit" value="Post Comment"></p>
      </form>
    </div>
  </section>
  <footer class="site-footer"><p>Brisany Coastal Courier, 4 Quay Street, Brisany. &copy; Courier Regional Press.</p><p><a href="/about">About</a> &middot; <a href="/contact">Contact the newsroom</a> &middot; <a href="/privacy">Privacy</a></p></footer>
</body>
</html>
""",
    ),
]


def record_id(name):
    return "<urn:uuid:%s>" % uuid.uuid5(NS, name)


def tiny_png():
    """A valid 1x1 grey PNG, built byte by byte so it is the same on every run."""
    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x80", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def http_response(ctype, length, date):
    return StatusAndHeaders("200 OK", [
        ("Date", date),
        ("Server", "nginx"),
        ("Content-Type", ctype),
        ("Content-Length", str(length)),
        ("Cache-Control", "max-age=300"),
    ], protocol="HTTP/1.1")


def http_date(warc_date):
    # "2025-06-10T12:00:05Z" -> "Tue, 10 Jun 2025 12:00:05 GMT"
    hh = warc_date[11:19]
    return "Tue, 10 Jun 2025 %s GMT" % hh


def write_response(writer, uri, warc_date, payload, ctype):
    rec = writer.create_warc_record(
        uri, "response",
        payload=io.BytesIO(payload),
        http_headers=http_response(ctype, len(payload), http_date(warc_date)),
        warc_headers_dict={"WARC-Record-ID": record_id("response " + uri), "WARC-Date": warc_date,
                           "WARC-IP-Address": "192.0.2.10"},
    )
    writer.write_record(rec)


def write_request(writer, uri, warc_date):
    host = uri.split("/")[2]
    path = "/" + uri.split("/", 3)[3]
    req = StatusAndHeaders("GET %s HTTP/1.1" % path, [
        ("Host", host),
        ("User-Agent", "storyline-demo-crawler/0.1 (+https://storyline.example/crawler)"),
        ("Accept", "text/html,application/xhtml+xml"),
        ("Accept-Language", "en"),
    ], is_http_request=True)
    rec = writer.create_warc_record(
        uri, "request", payload=io.BytesIO(b""), http_headers=req,
        warc_headers_dict={"WARC-Record-ID": record_id("request " + uri), "WARC-Date": warc_date,
                           "WARC-Concurrent-To": record_id("response " + uri)},
    )
    writer.write_record(rec)


def build(out_path=DEFAULT_OUT):
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = (b"software: storyline examples/demo/build_warc.py (warcio)\r\n"
                b"format: WARC File Format 1.1\r\n"
                b"description: storyline demo corpus; every page is fiction written for the project\r\n"
                b"isPartOf: storyline-demo\r\n")
        rec = writer.create_warc_record(
            "", "warcinfo", payload=io.BytesIO(info), warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Record-ID": record_id("warcinfo"), "WARC-Date": "2025-06-10T12:00:00Z",
                               "WARC-Filename": "demo.warc.gz"},
        )
        writer.write_record(rec)

        for i, (uri, warc_date, html) in enumerate(PAGES):
            if i < 2:
                write_request(writer, uri, warc_date)
            write_response(writer, uri, warc_date, html.encode("utf-8"), "text/html; charset=utf-8")

        write_response(writer, "https://www.coastalcourier.example/media/harbour-road-5388.png",
                       "2025-06-10T12:00:30Z", tiny_png(), "image/png")
        comments = json.dumps({"article": "cranes-turn-again-strike-ends-5741", "comments": 17,
                               "open": True}, sort_keys=True).encode("utf-8")
        write_response(writer, "https://www.coastalcourier.example/api/comments/count?id=5741",
                       "2025-06-10T12:00:31Z", comments, "application/json")
    return out_path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT))
