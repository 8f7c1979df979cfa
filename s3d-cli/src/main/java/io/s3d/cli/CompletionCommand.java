package io.s3d.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code s3d completion bash|zsh}: prints a completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script for bash or zsh.",
                "The zsh script runs the bash one through bashcompinit."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(s3d completion bash)                      in this bash session",
                "  s3d completion bash > /etc/bash_completion.d/s3d   for every bash session",
                "  echo 'source <(s3d completion zsh)' >> ~/.zshrc     for zsh"})
public class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("s3d", spec.root().commandLine());
        if (shell == Shell.zsh) {
            // the generated script detects zsh and loads bashcompinit itself
            script = "# s3d completion for zsh: source this file from ~/.zshrc\n"
                    + "autoload -U +X compinit && compinit\n"
                    + "autoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
