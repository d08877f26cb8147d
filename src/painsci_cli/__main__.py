"""`python -m painsci_cli` runs the same entry point as the `painsci` command."""

from painsci_cli.launch import main

if __name__ == "__main__":
    main()
