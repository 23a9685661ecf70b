import Foundation

/// Writes Merchant API XML documents (`<response>…</response>`) from an ordered parameter tree.
public enum PGXML {
    public static func document(root: String = "response", _ parameters: [PGParameter]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<\(root)>"
        append(parameters, to: &out)
        out += "</\(root)>"
        return out
    }

    private static func append(_ parameters: [PGParameter], to out: inout String) {
        for parameter in parameters {
            out += "<\(parameter.name)>"
            switch parameter.value {
            case .text(let text): out += escape(text)
            case .nested(let children): append(children, to: &out)
            }
            out += "</\(parameter.name)>"
        }
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Signs `parameters` (adding `pg_salt` when absent, then `pg_sig`) for `script`, and renders the document.
    public static func signedDocument(script: String, parameters: [PGParameter], secret: String, salt: String) -> String {
        var signed = parameters.filter { $0.name != "pg_sig" }
        if !signed.contains(where: { $0.name == "pg_salt" }) { signed.append(PGParameter("pg_salt", salt)) }
        signed.append(PGParameter("pg_sig", PGSignature.sign(script: script, parameters: signed, secret: secret)))
        return document(signed)
    }
}
