package io.misalignstream.sampler;

import static io.restassured.RestAssured.given;

import io.misalignstream.apikeys.ApiKeys;

/** The test profile's key of the dataset API, and what the writer reports on /q/metrics. */
final class DatasetApi {

    static final String KEY_HEADER = ApiKeys.HEADER;
    static final String KEY = "sampler-test-key";

    private DatasetApi() {
    }

    /** Pairs the writer has consumed and written (stored or found unchanged). */
    static long pairsWritten() {
        String body = given().when().get("/q/metrics").then().extract().asString();
        return (long) body.lines()
                .filter(line -> line.startsWith("misalign_sampler_dataset_writes_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
