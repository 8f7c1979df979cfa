package io.s3d.e2e;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link GatewayContract} against each remote, with s3d's write queue and read cache on and off.
 * moto is skipped, with the reason printed, where {@code moto_server} is not installed.
 */
class GatewayContractIT {

    static GatewayContract.Remote s3proxy() throws Exception {
        RemoteS3 remote = RemoteS3.start();
        S3Client direct = remote.directClient();
        return new GatewayContract.Remote() {
            public S3Client direct() {
                return direct;
            }

            public Map<String, String> gatewayEnv() {
                return remote.gatewayEnv();
            }

            public boolean implementsEverything() {
                return false;
            }

            public void close() throws Exception {
                direct.close();
                remote.close();
            }
        };
    }

    static GatewayContract.Remote moto() throws Exception {
        var executable = MotoS3.executable();
        if (executable.isEmpty()) {
            String reason = "SKIPPED: moto_server is not installed (looked at /root/.pyenv/shims/moto_server and "
                    + "the PATH); the gateway contract suite against moto did not run.";
            System.err.println(reason);
            Assumptions.abort(reason);
        }
        MotoS3 moto = MotoS3.start(executable.get());
        S3Client direct = moto.directClient();
        return new GatewayContract.Remote() {
            public S3Client direct() {
                return direct;
            }

            public Map<String, String> gatewayEnv() {
                return moto.gatewayEnv();
            }

            public boolean implementsEverything() {
                return true;
            }

            public void close() throws Exception {
                direct.close();
                moto.close();
            }
        };
    }

    @Nested
    class S3ProxyPassThrough extends GatewayContract {
        GatewayContract.Remote startRemote() throws Exception {
            return s3proxy();
        }

        boolean queueAndCache() {
            return false;
        }
    }

    @Nested
    class S3ProxyQueueAndCache extends GatewayContract {
        GatewayContract.Remote startRemote() throws Exception {
            return s3proxy();
        }

        boolean queueAndCache() {
            return true;
        }
    }

    @Nested
    class MotoPassThrough extends GatewayContract {
        GatewayContract.Remote startRemote() throws Exception {
            return moto();
        }

        boolean queueAndCache() {
            return false;
        }
    }

    @Nested
    class MotoQueueAndCache extends GatewayContract {
        GatewayContract.Remote startRemote() throws Exception {
            return moto();
        }

        boolean queueAndCache() {
            return true;
        }
    }
}
