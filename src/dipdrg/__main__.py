from dipdrg.cli import main

main()
