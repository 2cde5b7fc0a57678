package org.tandem.notification.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import org.tandem.notification.domain.Refusal;
import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.problem.ProblemMappers;

/**
 * The one place where the service's refusals become RFC 9457 problems, chosen by the refusal's type (never by a
 * message), with the platform's problem types for what all services share.
 */
public class RefusalProblems {

    static final String NO_ORGANISATION =
            "Your account does not belong to an organisation of the network, so it cannot do this.";

    @ServerExceptionMapper
    public Response refused(Refusal refusal) {
        return ProblemMappers.response(problem(refusal));
    }

    static Problem problem(Refusal refusal) {
        return switch (refusal) {
            case Refusal.NotFound r ->
                ProblemException.notFound(r.thing().noun()).problem();
            case Refusal.NoOrganisation r ->
                ProblemException.forbidden(NO_ORGANISATION).problem();
            case Refusal.InvalidField r ->
                ProblemException.invalidField(r.field(), r.reason()).problem();
            case Refusal.DeliveryPending r ->
                ProblemException.conflict(
                                "delivery-pending",
                                "This delivery is still being attempted; it cannot be replayed yet.")
                        .problem();
            case Refusal.TooManyEndpoints r ->
                Problem.of(
                        409,
                        "too-many-endpoints",
                        "Too many webhook endpoints",
                        (r.network() ? "The network" : "Your organisation") + " already has " + r.enabled()
                                + " enabled webhook endpoints, and the limit is " + r.limit() + " (" + r.setting()
                                + "). Delete (disable) an endpoint you no longer use, then try again.");
            case Refusal.TooManyFeeds r
            when r.ofOrganisation() ->
                Problem.of(
                                429,
                                "too-many-streams",
                                "Too many open feeds",
                                "Your organisation has " + r.limit()
                                        + " live alert feeds open, as many as it may (limit " + r.limitName()
                                        + "). Close one first.")
                        .withLimit(r.limitName(), r.limit());
            case Refusal.TooManyFeeds r ->
                Problem.of(
                                503,
                                "too-many-streams",
                                "Too many open feeds",
                                "This service has " + r.limit() + " live alert feeds open, as many as it keeps (limit "
                                        + r.limitName() + "). Read GET /api/v1/alerts meanwhile and try again later.")
                        .withLimit(r.limitName(), r.limit());
        };
    }
}
