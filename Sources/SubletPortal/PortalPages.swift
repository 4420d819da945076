import Foundation
import Mustache

/// The portal's pages: Swedish, server-rendered from Mustache, no script, semantic tables with
/// captions and headers, labelled fields, one style sheet (`/static/portal.css`) whose colours
/// pass WCAG AA against their backgrounds.
struct PortalPages: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, text) in Self.templates { library.register(try MustacheTemplate(string: text), named: name) }
        self.library = library
    }

    func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }

    static let head = """
        <!DOCTYPE html>
        <html lang="sv">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} – Sublet, andrahandsuthyrning</title>
        <link rel="stylesheet" href="/static/portal.css">
        </head>
        <body>
        <header>
        <p class="brand">Sublet · Stockholms stad, andrahandsuthyrning</p>
        {{#account}}
        <form method="post" action="/logga-ut" class="logout">
        <span>Inloggad som {{email}}{{#district}} ({{district}}){{/district}}{{#isAdmin}} (administratör){{/isAdmin}}</span>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">Logga ut</button>
        </form>
        {{/account}}
        </header>
        <main>
        """

    static let foot = """
        </main>
        </body>
        </html>
        """

    static let templates: [String: String] = [
        "head": head,
        "foot": foot,
        "login": """
        {{> head}}
        <h1>Logga in</h1>
        {{#message}}<p class="error" role="alert">{{message}}</p>{{/message}}
        <form method="post" action="/logga-in">
        <input type="hidden" name="csrf" value="{{formToken}}">
        <p><label for="email">E-postadress</label><br><input id="email" name="email" type="email" autocomplete="username" required value="{{email}}"></p>
        <p><label for="password">Lösenord</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
        <p><button type="submit">Logga in</button></p>
        </form>
        {{> foot}}
        """,
        "password": """
        {{> head}}
        <h1>Välj lösenord</h1>
        {{#message}}<p class="error" role="alert">{{message}}</p>{{/message}}
        <form method="post" action="/losenord">
        <input type="hidden" name="csrf" value="{{formToken}}">
        <input type="hidden" name="token" value="{{token}}">
        <p><label for="password">Nytt lösenord (minst 12 tecken)</label><br><input id="password" name="password" type="password" autocomplete="new-password" required minlength="12"></p>
        <p><label for="repeat">Upprepa lösenordet</label><br><input id="repeat" name="repeat" type="password" autocomplete="new-password" required minlength="12"></p>
        <p><button type="submit">Spara lösenordet</button></p>
        </form>
        {{> foot}}
        """,
        "districts": """
        {{> head}}
        <h1>Stadsdelsförvaltningar</h1>
        <ul>
        {{#districts}}<li><a href="/sdf/{{code}}">{{code}} – {{name}}</a></li>
        {{/districts}}
        </ul>
        {{> foot}}
        """,
        "months": """
        {{> head}}
        <h1>{{district}} – {{districtName}}</h1>
        <nav aria-label="Stadsdelsförvaltningens sidor"><ul>
        <li><a href="/sdf/{{district}}/avgifter">Avgifter för korrigeringar</a></li>
        <li><a href="/sdf/{{district}}/indikatorer">Indikatorer per tertial</a></li>
        <li><a href="/sdf/{{district}}/forverkande">Förverkandebevakning och sena hyror</a></li>
        </ul></nav>
        <h2>Avstämningsrapporter</h2>
        {{#anyMonths}}
        <ul>
        {{#months}}<li><a href="/sdf/{{district}}/avstamning/{{.}}">{{.}}</a></li>
        {{/months}}
        </ul>
        {{/anyMonths}}
        {{^months}}<p>Inga rapporter ännu.</p>{{/months}}
        {{> foot}}
        """,
        "report": """
        {{> head}}
        {{{body}}}
        <h2>Hämta</h2>
        {{#anyFiles}}<ul>{{#files}}<li><a href="/sdf/{{district}}/avstamning/{{month}}/{{name}}" download>{{name}}</a> ({{kind}})</li>
        {{/files}}</ul>{{/anyFiles}}
        {{^files}}<p>Rapportfilerna för månaden är inte byggda ännu.</p>{{/files}}
        {{> foot}}
        """,
        "reportBody": """
        <p><a href="/sdf/{{district}}">← {{district}} – alla månader</a></p>
        <h1>Avstämning {{district}} {{month}}</h1>
        <h2>Sammanfattning</h2>
        <table>
        <caption>Hyresavtal per status</caption>
        <thead><tr><th scope="col">Status</th><th scope="col" class="number">Antal</th></tr></thead>
        <tbody>
        {{#summary}}<tr><th scope="row">{{status}}</th><td class="number">{{count}}</td></tr>
        {{/summary}}
        </tbody>
        <tfoot><tr><th scope="row">Förväntat / fakturerat</th><td class="number">{{expected}} / {{invoiced}} kr</td></tr></tfoot>
        </table>
        <h2>Avvikelser</h2>
        {{#anyDiscrepancies}}
        <table>
        <caption>Hyresavtal som inte stämmer, {{month}}</caption>
        <thead><tr><th scope="col">Status</th><th scope="col">Hyresavtal</th><th scope="col">Objekt</th><th scope="col">Adress</th><th scope="col">Hyresvärd</th><th scope="col" class="number">Förväntat</th><th scope="col" class="number">Fakturerat</th><th scope="col" class="number">Skillnad</th><th scope="col">Anteckningar</th></tr></thead>
        <tbody>
        {{#discrepancies}}<tr><td>{{status}}</td><td>{{lease}}</td><td>{{object}}</td><td>{{address}}</td><td>{{landlord}}</td><td class="number">{{expected}}</td><td class="number">{{invoiced}}</td><td class="number">{{difference}}</td><td>{{notes}}</td></tr>
        {{/discrepancies}}
        </tbody>
        </table>
        {{/anyDiscrepancies}}
        {{^discrepancies}}<p>Inga avvikelser.</p>{{/discrepancies}}
        """,
        "fees": """
        {{> head}}
        <p><a href="/sdf/{{district}}">← {{district}}</a></p>
        <h1>Avgifter för retroaktiva korrigeringar, {{district}}</h1>
        {{#months}}
        <table>
        <caption>{{month}}: {{billed}} debiterade, {{waived}} efterskänkta, summa {{total}} kr</caption>
        <thead><tr><th scope="col">Korrigering</th><th scope="col">Kontrakt</th><th scope="col">Ändring</th><th scope="col">Registrerad</th><th scope="col" class="number">Avier</th><th scope="col" class="number">Avgift, kr</th><th scope="col">Status</th></tr></thead>
        <tbody>
        {{#fees}}<tr><td>{{correction}}</td><td>{{contract}}</td><td>{{change}}</td><td>{{recordedOn}}</td><td class="number">{{notices}}</td><td class="number">{{amount}}</td><td>{{state}}</td></tr>
        {{/fees}}
        </tbody>
        </table>
        {{/months}}
        {{^months}}<p>Inga avgifter.</p>{{/months}}
        {{> foot}}
        """,
        "indicators": """
        {{> head}}
        <p><a href="/sdf/{{district}}">← {{district}}</a></p>
        <h1>Indikatorer {{district}}, {{range}}</h1>
        <nav aria-label="Tertial"><ul class="inline">
        {{#tertials}}<li>{{#current}}<strong aria-current="page">{{name}}</strong>{{/current}}{{^current}}<a href="/sdf/{{district}}/indikatorer?tertial={{name}}">{{name}}</a>{{/current}}</li>
        {{/tertials}}
        </ul></nav>
        <table>
        <caption>Verksamhetsplanens indikatorer, {{range}}</caption>
        <thead><tr>{{#header}}<th scope="col">{{title}}</th>{{/header}}</tr></thead>
        <tbody>{{#rows}}<tr>{{#cells}}<td class="number">{{value}}</td>{{/cells}}</tr>{{/rows}}</tbody>
        </table>
        {{#charts}}<figure>{{{svg}}}</figure>
        {{/charts}}
        {{> foot}}
        """,
        "forfeiture": """
        {{> head}}
        <p><a href="/sdf/{{district}}">← {{district}}</a></p>
        <h1>Förverkandebevakning {{district}}, {{date}}</h1>
        <p>Avier som inte är betalda första bankdagen efter förfallodagen plus sju dagar (12 kap. 42 § jordabalken).
        Hyresgästen kan behålla lägenheten genom att betala inom tre veckor från underrättelsen (12 kap. 44 §).</p>
        {{#anyWatched}}
        <table>
        <caption>Avier på bevakningslistan</caption>
        <thead><tr><th scope="col">Avi</th><th scope="col">Kontrakt</th><th scope="col">Hyresgäst</th><th scope="col">Adress</th><th scope="col">Förfallodag</th><th scope="col">På listan sedan</th><th scope="col" class="number">Kvar att betala, kr</th><th scope="col">Underrättad</th><th scope="col">Återvinningsfrist</th></tr></thead>
        <tbody>
        {{#watched}}<tr><td>{{notice}}</td><td>{{contract}}</td><td>{{tenant}}</td><td>{{address}}</td><td>{{dueDate}}</td><td>{{watchDate}}</td><td class="number">{{balance}}</td><td>{{notifiedOn}}</td><td>{{deadline}}</td></tr>
        {{/watched}}
        </tbody>
        </table>
        {{/anyWatched}}
        {{^watched}}<p>Inga avier på bevakningslistan.</p>{{/watched}}
        <table>
        <caption>Sena hyror efter ålder</caption>
        <thead><tr><th scope="col">Dagar efter förfallodagen</th><th scope="col" class="number">Avier</th><th scope="col" class="number">Kvar att betala, kr</th></tr></thead>
        <tbody>{{#ages}}<tr><th scope="row">{{age}}</th><td class="number">{{count}}</td><td class="number">{{total}}</td></tr>
        {{/ages}}</tbody>
        </table>
        {{> foot}}
        """,
        "error": """
        {{> head}}
        <h1>{{heading}}</h1>
        <p>{{message}}</p>
        <p><a href="/">Till startsidan</a></p>
        {{> foot}}
        """,
    ]

    /// Dark text on white, links and buttons at 7:1 or better.
    static let css = """
        body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #ffffff; margin: 0; line-height: 1.5; }
        header { background: #002b45; color: #ffffff; padding: 0.5rem 1rem; display: flex; justify-content: space-between; flex-wrap: wrap; }
        header .brand { margin: 0; font-weight: bold; }
        header form { margin: 0; }
        main { padding: 1rem; max-width: 72rem; }
        a { color: #004a80; }
        a:focus, button:focus, input:focus { outline: 3px solid #b35900; outline-offset: 2px; }
        table { border-collapse: collapse; margin: 1rem 0; }
        caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
        th, td { border: 1px solid #6b6b6b; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        .number { text-align: right; font-variant-numeric: tabular-nums; }
        .error { color: #8a0000; font-weight: bold; }
        button { background: #004a80; color: #ffffff; border: 0; padding: 0.4rem 1rem; font-size: 1rem; cursor: pointer; }
        header button { background: #ffffff; color: #002b45; }
        input { font-size: 1rem; padding: 0.3rem; }
        ul.inline { list-style: none; padding: 0; display: flex; gap: 1rem; flex-wrap: wrap; }
        figure { margin: 1rem 0; max-width: 48rem; }
        .chart .bar { fill: #004a80; }
        .chart .axis { stroke: #6b6b6b; }
        .chart text { fill: #1a1a1a; font-size: 12px; }
        .chart .chart-title { font-weight: bold; font-size: 14px; }
        """
}
