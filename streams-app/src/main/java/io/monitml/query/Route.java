package io.monitml.query;

/** The answer to the questions about one resource of the query API. */
interface Route {

    /** A 200 answer; any other status is thrown as an {@link ApiException}. */
    Reply answer(ApiRequest request);
}
