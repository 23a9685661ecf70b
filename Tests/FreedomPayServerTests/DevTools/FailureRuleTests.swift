import Foundation
import Testing

@testable import FreedomPayServer

/// Parsing and matching of failure-injection rules (no server).
@Suite struct FailureRuleTests {
    @Test func parsesEachActionAgainstTheRouteTable() throws {
        let error = try FailureRule.parse("POST /v5/card-api/transaction/create=error:internal_error")
        #expect(error.action == .error("internal_error") && error.api == .cardAPI && error.probability == 1)
        let latency = try FailureRule.parse("post /init_payment.php=latency:1500@0.25")
        #expect(latency.method == "POST" && latency.action == .latency(milliseconds: 1500) && latency.probability == 0.25)
        #expect(latency.api == .merchantAPI)
        let drop = try FailureRule.parse("POST /v5/card-api/client/add=drop-after-commit")
        #expect(drop.action == .dropAfterCommit)
        #expect(drop.description == "POST /v5/card-api/client/add=drop-after-commit")
        #expect(try FailureRule.parse(latency.description) == latency, "description round-trips")
    }

    @Test func errorCodesMustBelongToTheRoutesAPI() throws {
        #expect(throws: FailureRuleError.self) { try FailureRule.parse("POST /v5/card-api/client/add=error:9999") }
        #expect(throws: FailureRuleError.self) { try FailureRule.parse("POST /init_payment.php=error:internal_error") }
        let partner = try #require(APIRouteTable.routes.first { $0.api == .partnerAPI && !$0.stringErrorCode })
        #expect(try FailureRule.parse("POST \(partner.path)=error:500").action == .error("500"))
        #expect(throws: FailureRuleError.self) { try FailureRule.parse("POST \(partner.path)=error:7") }
        #expect(try FailureRule.parse("GET /status/healthcheck=error:503").api == .service)
    }

    @Test(arguments: [
        "POST /v5/card-api/no/such/route=error:internal_error",
        "GET /v5/card-api/client/add=latency:10",
        "POST /v5/card-api/client/add",
        "/v5/card-api/client/add=latency:10",
        "POST /v5/card-api/client/add=latency:0",
        "POST /v5/card-api/client/add=latency:999999",
        "POST /v5/card-api/client/add=latency:10@0",
        "POST /v5/card-api/client/add=latency:10@1.5",
        "POST /v5/card-api/client/add=explode",
        "POST /v5/card-api/sandbox/inject=error:internal_error",
    ])
    func refusesMalformedRules(_ text: String) {
        #expect(throws: FailureRuleError.self) { try FailureRule.parse(text) }
    }

    @Test func pathParametersMatchOneSegment() throws {
        let rule = try FailureRule.parse("POST /v1/merchant/{merchant_id}/cardstorage/add=error:9999")
        #expect(rule.matches(method: "POST", path: "/v1/merchant/542/cardstorage/add"))
        #expect(!rule.matches(method: "POST", path: "/v1/merchant/542/x/cardstorage/add"))
        #expect(!rule.matches(method: "POST", path: "/v1/merchant//cardstorage/add"))
        #expect(!rule.matches(method: "GET", path: "/v1/merchant/542/cardstorage/add"))
        #expect(try FailureRule.parse("POST /v1/merchant/542/cardstorage/add=error:9999").path == rule.path)
    }

    @Test func theRuleTableIsBounded() throws {
        let rules = FailureInjectionRules()
        let rule = try FailureRule.parse("POST /v5/card-api/client/add=latency:1")
        for _ in 0..<FailureInjectionRules.maxRules { #expect(rules.add(rule)) }
        #expect(!rules.add(rule))
        #expect(rules.matching(method: "POST", path: "/v5/card-api/client/add").count == FailureInjectionRules.maxRules)
        rules.clear()
        #expect(rules.all.isEmpty)
    }
}
