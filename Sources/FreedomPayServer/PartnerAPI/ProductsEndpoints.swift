import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Products (partner-api.md §3.3–§3.8): onboarding a partner's client companies, their users and products.
struct ProductsEndpoints: Sendable {
    let services: AppServices
    let clients = PartnerClientRepository()

    var execution: PartnerAPIExecution { PartnerAPIExecution(services: services) }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("dictionaries", use: dictionaries)
        group.post("client/add", use: addClient)
        group.post("client/user/add", use: addUser)
        group.post("client/product/add", use: addProduct)
        group.post("client/user/grant", use: grantUser)
        group.post("client/user/send_auth", use: sendAuthData)
        group.post("request/status", use: requestStatus)
        group.post("client/request/status", use: requestStatus)
    }

    /// `POST /v5/partner/dictionaries` [inferred].
    @Sendable func dictionaries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = context.rawBody.isEmpty ? PartnerDictionariesRequest() : try context.decodePartnerAPI(PartnerDictionariesRequest.self)
        guard let selected = ProductDictionaries.select(body.dictionary) else {
            throw PartnerAPIFailure(.invalidInput, "field 'dictionary' must be one of \(ProductDictionaries.names.joined(separator: ", "))")
        }
        return JSONBody.response(PartnerDictionariesResponse(dictionaries: selected, dt: WireDate.rfc3339(services.clock.now())))
    }

    /// `POST /v5/partner/client/add`, nested or flat shape. The flat shape's `ceo_info` becomes the first user.
    @Sendable func addClient(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(AddClientRequest.self)
        try Self.checked {
            try ProductRules.validate(company: body.company)
            if let ceo = body.ceo { try ProductRules.validate(person: ceo, path: "ceo_info") }
            if let product = body.product { _ = try ProductRules.validate(product: product) }
        }
        let now = services.clock.now()
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .partnerProducts, kind: "client.add") { db, partner in
            let clientID = try await clients.createClient(body.company, partner: partner.id, at: now, in: db)
            let client = PartnerClient(id: clientID, partnerID: partner.id, name: body.company.name)
            var userID: PartnerUserID?
            if let ceo = body.ceo { userID = try await clients.addUser(ceo, client: client, at: now, in: db) }
            var registered: RegisteredProduct?
            if let product = body.product { registered = try await clients.addProduct(product, client: client, at: now, in: db) }
            let answer = ProductsResponse(clientID: clientID.rawValue, userID: userID?.rawValue, product: registered?.registration)
            return PartnerAPIResult(outcome: Self.outcome(answer), answer: answer)
        }
    }

    /// `POST /v5/partner/client/user/add`.
    @Sendable func addUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(AddClientUserRequest.self)
        try Self.checked { try ProductRules.validate(person: body.userInfo, path: "user_info") }
        let now = services.clock.now()
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .partnerProducts, kind: "client.user.add") { db, partner in
            let client = try await clientOrRefuse(body.clientID, partner: partner, db: db)
            let userID = try await clients.addUser(body.userInfo, client: client, at: now, in: db)
            let answer = ProductsResponse.success(clientID: client.id.rawValue, userID: userID.rawValue)
            return PartnerAPIResult(outcome: Self.outcome(answer), answer: answer)
        }
    }

    /// `POST /v5/partner/client/product/add`.
    @Sendable func addProduct(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(AddClientProductRequest.self)
        try Self.checked { _ = try ProductRules.validate(product: body.product) }
        let now = services.clock.now()
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .partnerProducts, kind: "client.product.add") { db, partner in
            let client = try await clientOrRefuse(body.clientID, partner: partner, db: db)
            let registered = try await clients.addProduct(body.product, client: client, at: now, in: db)
            let answer = ProductsResponse.success(clientID: client.id.rawValue, product: registered.registration)
            return PartnerAPIResult(outcome: Self.outcome(answer), answer: answer)
        }
    }

    /// `POST /v5/partner/client/user/grant` [inferred]: gives a user of the client access to one of its products.
    @Sendable func grantUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(GrantUserRequest.self)
        guard body.productUUID != nil || body.terminalID != nil else {
            throw PartnerAPIFailure(.invalidInput, "field 'product_uuid' or 'terminal_id' is required")
        }
        let role = body.role ?? "cashier"
        guard !role.isEmpty, role.count <= 32 else { throw PartnerAPIFailure(.invalidInput, "field 'role' must be 1 to 32 characters") }
        let now = services.clock.now()
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .partnerProducts, kind: "client.user.grant") { db, partner in
            let client = try await clientOrRefuse(body.clientID, partner: partner, db: db)
            guard try await clients.user(body.userID, client: client, in: db) != nil else {
                throw PartnerAPIFailure.refusal(.notFound, "user \(body.userID) not found for client \(body.clientID)")
            }
            guard let product = try await clients.product(uuid: body.productUUID, terminalID: body.terminalID, client: client, in: db) else {
                throw PartnerAPIFailure.refusal(.notFound, "product not found for client \(body.clientID)")
            }
            try await clients.grant(user: body.userID, product: product, role: role, at: now, in: db)
            let answer = ProductsResponse(clientID: client.id.rawValue, userID: body.userID, product: product.registration)
            return PartnerAPIResult(outcome: Self.outcome(answer), answer: ProductsResponse())
        }
    }

    /// `POST /v5/partner/client/user/send_auth` [inferred]: login data go to the user's phone and e-mail
    /// (in the sandbox: the readable outbox); the user needs access to at least one product first.
    @Sendable func sendAuthData(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(SendAuthDataRequest.self)
        let now = services.clock.now()
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .partnerProducts, kind: "client.user.send_auth") { db, partner in
            let client = try await clientOrRefuse(body.clientID, partner: partner, db: db)
            guard let contact = try await clients.user(body.userID, client: client, in: db) else {
                throw PartnerAPIFailure.refusal(.notFound, "user \(body.userID) not found for client \(body.clientID)")
            }
            guard try await clients.grantCount(user: body.userID, in: db) > 0 else {
                throw PartnerAPIFailure.refusal(.invalidInput, "user \(body.userID) has no product access yet; grant it first")
            }
            // The SMS lands in the sandbox outbox a tester can read; it names the login, never a password.
            try await SMSOutbox().send(
                partner: partner.id, phone: contact.phone,
                text: "Freedom Pay: access for \(client.name) is ready. Sign in with \(contact.phone); a one-time code is sent at sign-in.",
                now: now, in: db)
            try await clients.recordAuthMessage(partner: partner.id, user: body.userID, channel: "sms", destination: contact.phone, at: now, in: db)
            try await clients.recordAuthMessage(partner: partner.id, user: body.userID, channel: "email", destination: contact.email, at: now, in: db)
            let answer = ProductsResponse(clientID: client.id.rawValue, userID: body.userID)
            return PartnerAPIResult(outcome: Self.outcome(answer), answer: ProductsResponse())
        }
    }

    /// `POST /v5/partner/request/status` (also `/client/request/status`) [inferred]: the state of a Products
    /// request and what it created; 1006 for an id this partner never used on Products.
    @Sendable func requestStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodePartnerAPI(PartnerRequestStatusRequest.self)
        let partner = try context.partner()
        let record = try await services.store.read { db in
            try await services.requests.find(partner: partner.id, requestID: FreedomPayCore.RequestID(rawValue: body.requestID), in: db)
        }
        guard let record, record.api == .partnerProducts else {
            throw PartnerAPIFailure(.requestNotFound, "Request with this identifier not found: '\(body.requestID)'")
        }
        let now = services.clock.now()
        let status = record.observedStatus(at: now)
        var answer = Self.answer(from: record.outcome)
        answer.status = "ok"
        answer.requestStatus = status
        answer.dt = WireDate.rfc3339(now)
        if status != .error { answer.errorCode = nil; answer.errorDescription = nil }
        return JSONBody.response(answer)
    }

    private func clientOrRefuse(_ id: Int64, partner: Partner, db: any SQLExecutor) async throws -> PartnerClient {
        guard let client = try await clients.client(id, partner: partner.id, in: db) else {
            throw PartnerAPIFailure.refusal(.notFound, "client \(id) not found")
        }
        return client
    }

    /// Runs validation, answering a `ProductProblem` as 1001 naming the field.
    static func checked(_ body: () throws -> Void) throws {
        do { try body() } catch let problem as ProductProblem { throw PartnerAPIFailure(.invalidInput, problem.message) }
    }

    /// What request status later reports: the ids a request created.
    static func outcome(_ answer: ProductsResponse) -> RequestOutcome {
        var extra: [String: String] = [:]
        if let user = answer.userID { extra["user_id"] = String(user) }
        if let product = answer.product {
            extra["product_id"] = String(product.productID)
            extra["product_uuid"] = product.productUUID
            extra["terminal_id"] = String(product.terminalID)
            extra["product_status"] = String(product.status)
        }
        return RequestOutcome(clientID: answer.clientID.map(String.init), extra: extra.isEmpty ? nil : extra)
    }

    static func answer(from outcome: RequestOutcome) -> ProductsResponse {
        let extra = outcome.extra ?? [:]
        var product: ProductRegistration?
        if let id = extra["product_id"].flatMap(Int.init), let uuid = extra["product_uuid"],
           let terminal = extra["terminal_id"].flatMap(Int64.init), let status = extra["product_status"].flatMap(Int.init) {
            product = ProductRegistration(productID: id, productUUID: uuid, terminalID: terminal, status: status)
        }
        return ProductsResponse(
            clientID: outcome.clientID.flatMap(Int64.init), userID: extra["user_id"].flatMap(Int64.init), product: product,
            errorCode: outcome.errorCode.flatMap(Int.init), errorDescription: outcome.errorDescription)
    }
}
