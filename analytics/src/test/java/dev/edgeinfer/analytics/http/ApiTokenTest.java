package dev.edgeinfer.analytics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiTokenTest {

    private static final String SECRET = "s3cret-token-of-the-fleet";

    @Test
    void matchesOnlyTheBearerHeaderWithTheSameToken() {
        ApiToken token = ApiToken.of(SECRET).orElseThrow();
        assertThat(token.matches("Bearer " + SECRET)).isTrue();
        assertThat(token.matches("bearer " + SECRET)).as("the scheme is case-insensitive (RFC 7235)").isTrue();
        assertThat(token.matches("Bearer " + SECRET + "x")).isFalse();
        assertThat(token.matches("Bearer " + SECRET.substring(1))).isFalse();
        assertThat(token.matches("Basic " + SECRET)).isFalse();
        assertThat(token.matches(SECRET)).isFalse();
        assertThat(token.matches("Bearer ")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.authorizationHeader()).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void noTokenMeansAnOpenApiAndWeakTokensAreRefused() {
        assertThat(ApiToken.of(null)).isEmpty();
        assertThat(ApiToken.of("  ")).isEmpty();
        assertThatThrownBy(() -> ApiToken.of("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> ApiToken.of("with a space in the middle")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("printable ASCII");
    }

    @Test
    void neverShowsTheTokenInText() {
        assertThat(ApiToken.of(SECRET).orElseThrow().toString()).doesNotContain(SECRET).contains("25 characters");
    }
}
