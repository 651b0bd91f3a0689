// A bare Vert.x server for the bench's baseline: a fixed small body (the size of a small image manifest) on
// 127.0.0.1:PORT, one server instance per core (Vert.x's best case), nothing else. Run as a single-file program with
// the Vert.x and Netty jars our registry ships (bench/lib/hello.sh).
// usage: java -cp <vertx-core and netty jars> bench/lib/Hello.java PORT
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

public class Hello {
    private static final Buffer BODY = Buffer.buffer("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"hello\":\"" + "x".repeat(400) + "\"}");

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx.vertx().deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                vertx.createHttpServer().requestHandler(request -> request.response()
                        .putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json").end(BODY))
                        .listen(port, "127.0.0.1");
            }
        }, new DeploymentOptions().setInstances(cores)).onSuccess(id -> System.out.println("hello listening on " + port));
    }
}
