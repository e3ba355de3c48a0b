/// The status page: one HTML document, no script or framework, refreshed by the browser every
/// five seconds.
public enum StatusPage {
    public static func html(_ status: StatusSnapshot) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
            <title>distributor status</title>
            <style>
            body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin-bottom:1.5em}
            th,td{border:1px solid #ccc;padding:.3em .7em;text-align:left}th{background:#f0f0f0}
            td.num{text-align:right}.UP{color:#070;font-weight:bold}.DOWN{color:#b00;font-weight:bold}
            </style></head><body>
            <h1>distributor</h1>
            <p id="summary">version \(escape(status.version)) · up \(status.uptimeSeconds) s · <span id="active-calls">\(status.activeCalls)</span> active call(s) · \(status.totalCalls) since start · <a href="/metrics">metrics</a> · <a href="/status.json">JSON</a></p>
            <h2>Gateways</h2>
            <table id="gateways"><tr><th>Gateway</th><th>Profile</th><th>Proxy</th><th>Status</th><th>Registration</th><th>Ping</th><th>Ping state</th><th>Calls out</th><th>Failed out</th></tr>

            """
        for gateway in status.gateways {
            let ping = gateway.pingMilliseconds.map { String(Int($0.rounded())) + " ms" } ?? "–"
            page += "<tr data-gateway=\"\(escape(gateway.name))\"><td>\(escape(gateway.name))</td><td>\(escape(gateway.profile))</td>"
                + "<td>\(escape(gateway.proxy))</td><td class=\"\(escape(gateway.status))\">\(escape(gateway.status))</td>"
                + "<td>\(escape(gateway.registration))</td><td class=\"num\">\(ping)</td><td>\(escape(gateway.pingState ?? "–"))</td>"
                + "<td class=\"num\">\(gateway.counters.callsOut)</td><td class=\"num\">\(gateway.counters.failedCallsOut)</td></tr>\n"
        }
        page += "</table>\n<h2>Distributor lists</h2>\n"
        for list in status.lists {
            let totalWeight = list.nodes.reduce(0) { $0 + $1.weight }
            let totalPicks = list.nodes.reduce(0) { $0 + $1.picks }
            page += "<table class=\"list\" data-list=\"\(escape(list.name))\"><caption>\(escape(list.name))</caption>"
                + "<tr><th>Node</th><th>Weight</th><th>Configured share</th><th>Picks</th><th>Actual share</th></tr>\n"
            for node in list.nodes {
                page += "<tr><td>\(escape(node.name))</td><td class=\"num\">\(node.weight)</td>"
                    + "<td class=\"num\">\(percent(node.weight, of: totalWeight))</td><td class=\"num\">\(node.picks)</td>"
                    + "<td class=\"num\">\(percent(node.picks, of: totalPicks))</td></tr>\n"
            }
            page += "</table>\n"
        }
        return page + "</body></html>\n"
    }

    private static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
