"""Given names and surnames common in England and Wales, for the identifiable-details guard.

The guard uses these to tell "a boy called sam" from "a boy called earlier": a word in these
lists, or one that is not ordinary English at all, can be a name. The lists are the team's own
selection of names that have been common among children and parents in England and Wales over
the last few decades (the kind of names the ONS baby-name tables report), written out by hand.
Names that are also everyday words people type in lower case (will, may, hope, mark, bill…)
are left out on purpose: the guard still catches them when they are capitalised after a cue.
"""

from __future__ import annotations

from pathlib import Path

from core.wordset import WordSet

_GIVEN = """
aaliyah aaron abbie abby abdul abdullah abi abigail ada adam adrian ahmed aidan aiden aimee aisha
alan albert albie alex alexander alexandra alexis alfie alfred ali alice alicia alisha alison
amani amanda amber amelia amelie amir amy ana andre andrea andrew andy angela angus anna annabelle
anne annie anthony antonio archie aria ariana arlo arran arthur asher ashley aston aurora austin
 ava ayaan ayla aysha barry beatrice bella ben benjamin bethany betty beverley bianca billy
blake bobby bonnie bradley brandon brian brooke bryony caitlin caleb callum calvin cameron
caoimhe carl carla carly caroline casey cassie catherine cerys chantelle charlie charlene charles
charlotte chelsea cheryl chloe chris christian christina christine christopher ciara ciaran
claire clara clare cody colin connor conor courtney craig daisy dale damian damien daniel
daniella danielle danny darcey darcie darcy darren dave david dawn dean debbie deborah declan
demi denise dennis derek dexter diane dominic donna dylan eddie eden edward eleanor elijah
elise eliza elizabeth ella ellie elliot elliott ellis eloise elsie emilia emily emma eric erin
ethan eva evan evelyn evie ezra faye felicity felix finlay finley finn florence frances
francesca frankie freddie freya gabriel gail gareth gary gemma george georgia georgina gerald
gracie graham gregory hamza hannah harley harper harriet harrison harry harvey hassan hayden
hayley heather heidi helen henry hollie holly hugo ian ibrahim imogen isaac isabel isabella
isabelle isha isla ismail ivy izzy jack jackie jackson jacob jade jaden jake james jamie
jane janet jared jasmine jason jay jayden jaxon jaydon jean jenna jennifer jenny jeremy jesse
jessica jessie jill joanne jodie joe joel joey john johnny jon jonathan jordan joseph josh
joshua joyce jude julia julie justin kai kaiden kara karen kate katherine kathleen kathryn katie
kayden kayla keira keith kelly kenneth kerry kevin kian kieran kim kirsty kyle kylie lacey
lara laura lauren layla leah lee leighton leo leon leonardo levi lewis lexi liam lilly lily
lindsey lisa logan lola louie louis louise luca lucas lucy luke lydia lynn lynne maddison
madison maisie maisy malachi marcus margaret maria marie martin mary maryam mason matilda
matthew maya megan melissa mia michael michaela michelle mila millie mohamed mohammad mohammed
molly muhammad mustafa naomi natalie natasha nathan neil nicholas nicola nicole niamh noah
nora oakley oliver olivia ollie omar oscar owen paige pamela patrick paul paula peter
phoebe phoenix phillip piper poppy priya rachel rebecca reece reggie reuben rhys riley robert
robyn ronnie rory rosie ross rowan ruby rupert ryan sadie saffron sally sam samantha
sami samuel sandra sara sarah scarlett scott sean sebastian shannon sharon shaun sheila sian
sienna simon sofia sonny sophia sophie stacey stanley stephanie stephen steven stuart susan
sylvie tanya tara teddy terry tess theo theodore thomas tia tiana tilly timothy toby tom tommy
tony tracey tracy tyler vanessa victoria vincent wendy william willow yasmin yusuf zac zach
zachary zain zara zayn zoe zoey
abena ade adeel aleksander amara amira antoni aryan ayden bilal brenda chidi daria dominika dwayne
eesa emeka esi fatima femi filip hafsa hania idris ife ilyas inaya jakub jermaine kacper kemi khadija
kofi kwame lena leanne lorraine maja musa natalia nia nikola olu oliwia rayyan shane shanice shirley
szymon tayo tina tobi tyrone usman wayne wiktoria zainab zak zakariya zayan zuzanna
"""

_SURNAMES = """
adams ahmed akhtar ali allen anderson armstrong atkinson bailey baker barker barnes bell
bennett begum berry bibi booth bradley brooks brown burton butler campbell carter chapman clark
clarke cole collins cook cooper cox davies davis dawson dixon doherty edwards ellis evans fisher
fletcher foster fox gibson gill graham grant gray green griffiths hall harris harrison hart
harvey hill holmes hughes hunt hussain jackson james jenkins johnson johnston jones kaur kelly
kennedy khan king knight lawrence lee lewis lloyd marshall martin mason matthews mcdonald
miah miller mills mitchell moore morgan morris murphy murray owen palmer parker patel payne
pearce pearson phillips poole powell price rahman reid reynolds richards richardson roberts
robertson robinson rogers rose ross russell scott shaw simpson singh smith spencer stevens
stewart stone taylor thomas thompson thomson turner walker walsh ward watson webb wells west
white wilkinson williams wilson wood woods wright young
"""

# Grandparents' generation, Irish and Gaelic names, and the short forms people use for one another
# ("nan Pauline", "Deano and his mum"): names the lists above missed.
_MORE_GIVEN = """
pauline maureen linda patricia barbara jacqueline elaine gillian valerie yvonne doreen irene eileen
brenda janet sandra sheila siobhan aoife saoirse sinead roisin deirdre grainne orla eoin oisin
padraig seamus cormac darragh deano tommo jacko robbo gaz dazza kev stevo
"""
# Surnames of families from the many communities of England's towns, beyond the commonest.
_MORE_SURNAMES = """
mahmood o'brien obrien mcallister kowalski okonkwo nowak wisniewski mensah okafor adeyemi shah byrne
doyle mccarthy macdonald mckenzie mclean lewandowski kaminski popescu ionescu
"""

# Names common among children and parents in England and Wales from the many communities that live here
# (English, Welsh, Scottish, Irish, Gypsy and Traveller; Polish, Baltic, Ukrainian, Romanian, Bulgarian,
# Hungarian, Czech, Slovak and Roma, Albanian, Portuguese, Italian, Turkish, Kurdish; Nigerian, Ghanaian,
# Somali, Eritrean, Ethiopian, Sudanese, Zimbabwean, Congolese; Pakistani, Bangladeshi, Punjabi, Gujarati,
# Tamil, Sri Lankan, Nepali, Afghan, Arab, Iranian; Chinese, Vietnamese, Filipino; Caribbean), written by hand in
# lower case ASCII ("lukasz" for Łukasz, "joao" for João). Practitioners type on phones in lower case, and a
# lower-case word is only taken for a name when it is in these lists, so names like amina, chidera, bogdan,
# ffion or hodan slipped through. Everyday English words and school or safeguarding abbreviations are left out.
_COMMUNITY_GIVEN = """
adele agnes alistair allan amos andreas anita ariel ashton athena aubrey audrey axel barney beau becky
beth brodie camilla carmen cassandra cecilia cara christy claudia clive colleen connie conrad cora corey
dalton damon dana darius dawson della dora dorothy edith elena elsa esther ffion fiona fletcher flora
fraser frederick gabrielle gavin gina gloria greta gwen isaiah ivan jaime jasper jeffrey joanna jonah
jonas josephine judith jules juliet julian katy kelsey kirsten lana laurence lenny leslie lillian lois
lorenzo louisa luna mabel madeleine mae magnus marcel margot marion marley martha marty maxwell meg
melanie meredith mikey milo miriam monty myles nathaniel ned nico nicky nigel nikki nina noel otis otto
penelope percy polly quinn rae raymond rex rita rodney ronald rosa rufus sasha saul serena shelby
shelley sheridan skye solomon sonia stella susie suzanne teresa tiffany timmy tobias trevor tristan troy
vera veronica vicky wesley winnie winston wyatt xavier zelda ailsa calum catriona eilidh euan fergus
hamish iain innes lachlan aoibhinn aoibheann cathal clodagh dara eabha eimear enda fiachra fionn
fionnuala ruairi sadhbh tadhg una aisling aine ailbhe bronagh eamon eamonn shay eleri lowri lleucu mali
alaw cari mared mererid olwen swyn tirion awen anwen branwen buddug ceinwen dilys enid gwenda gwyneth
aled alun kizzy kezia keziah vashti reena bathsheba britney shania jolene clementine marvella milly
manny goliah bartley bernie davey dinny francie hughie jody miley franciszek mikolaj wojciech piotr
pawel krzysztof tomasz marcin michal lukasz mateusz bartosz dawid kamil maciej grzegorz rafal dariusz
oskar kasia gosia ania basia ola zosia hanna alicja aleksandra zofia nadia pola nela antonina liliana
gabriela malgorzata agnieszka katarzyna magdalena monika ewa beata dorota justyna lukas matas nojus
dominykas kajus benas rokas mantas vytautas emilija gabija ugne lukne austeja kamile urte migle ieva
egle rugile goda janis andris juris martins edgars maris alise sofija anastasija estere elza liga ilze
oleksandr mykola andriy dmytro serhiy yuriy oksana olena iryna tetiana nataliya yulia kateryna svitlana
halyna dmitri sergei alexei olga tatiana andrei alexandru mihai ionut florin marius bogdan catalin
constantin vasile gheorghe nicolae dumitru razvan sorin ciprian dorin ovidiu ioana andreea mihaela
cristina daniela ramona nicoleta florentina roxana georgiana raluca denisa larisa madalina adriana irina
oana loredana violeta lavinia iuliana georgi dimitar nikolay petar hristo stoyan todor vasil yordan
krasimir plamen yoana mariya ivana desislava gergana nikol viktoria raya kalina siyana yana tsveta
radostina bence levente balazs gergo laszlo zoltan istvan janos jozsef ferenc sandor gabor zsofia lilla
jazmin lili boglarka zsuzsanna eszter katalin erzsebet ildiko krisztina timea reka matej jozef juraj
lubos miroslav ladislav frantisek vaclav jiri petr pavel alzbeta eliska tereza adela anezka lucie zuzana
jana katarina lenka martina arben arjan ardit besnik blerim dritan endrit erion flamur genti ilir klajdi
kristi leart lorik luan mergim arber arlind dardan ajna albana anisa arta besa blerta dafina drita edona
elira elona enkela erisa fjolla flutura genta jonida klea lindita luljeta majlinda joao tiago diogo
rodrigo goncalo duarte tomas afonso martim santiago miguel pedro rafael bernardo vasco nuno rui paulo
beatriz leonor matilde margarida francisca madalena catarina joana raquel filipa andreia tania susana
fernanda francesco alessandro mattia gabriele riccardo tommaso edoardo matteo giuseppe giovanni davide
ginevra chiara giorgia federica alessia giovanna rosaria carmela concetta antonella ilaria gianluca
giacomo filippo mehmet ahmet huseyin hasan osman murat emre burak cem deniz eren kerem kaan baris serkan
volkan zeynep elif ayse fatma emine hatice merve esra ozlem ozge gizem busra kubra tugba seda derya
dilek ebru gul gulsen hulya leyla meryem nur nurcan azad rebin rebwar dilan hawre karwan shvan sherwan
hemin hevi hevin rojin rojda berfin delal zilan ronahi ciwan baran diyar aram adebayo adewale ayodele
babatunde oluwaseun seun tunde kayode olumide funmi funmilayo folake bukola bisi bisola yetunde temitope
titilayo tolu tolulope toluwani tomiwa tobiloba damilola dami dayo ayomide ayo ayodeji segun sola wale
yinka yemi chidera chinedu chioma chiamaka chinonso chukwuemeka chibuike chiedozie chinwe chinyere ngozi
nneka obinna obi ikenna ifeanyi ifeoma kelechi nnamdi uchenna ugochukwu uche amaka adaeze adaora chisom
chimamanda osaze osas efosa esosa itohan osaro uyi aminu kwaku kwabena kwesi kweku kojo akosua adwoa
akua afua efua ekua araba adjoa afia akos abenaa ewurabena ewurama serwaa abdi amina abdirahman
abdullahi abdikarim abdirashid abdiaziz abdiwali abdinasir abdisalam abdulkadir mahad mahamed liban
bashir faisal farah khalid mukhtar guled jama warsame nuur yasin zakaria sharmarke hodan hibo hawa
halima hinda idil ifrah ikran iman amran yonas yohannes dawit tesfaye tewodros teklay tekle mulugeta
girma haile berhane berhe yosef biniam binyam filmon henok kidane luwam selam hiwot mekdes meron mahlet
lidya saba senait tigist tsion winta yordanos elfatih abdelrahman abdalla abdelaziz elsadig elnour
babiker tarig hisham hatim wafaa amna hiba huda ikhlas intisar iqbal mawahib nahid nafisa tendai tatenda
tafadzwa tinashe tanaka takudzwa tapiwa farai rufaro rutendo chiedza nyasha ruvimbo kudzai kuda simba
tawanda tonderai tichaona fadzai vimbai chipo rudo shamiso shingai munashe anesu glody merveille exauce
bienvenu dieudonne fiston christelle gracia gloire emmanuel josue princesse benedicte ornella ahmad
imran irfan kamran nadeem naveed rizwan shahid tariq waqas waseem zubair zeeshan asif adnan arslan asad
atif anum asma ayesha bushra humaira iqra kiran laiba madiha mahnoor maham mehwish misbah naila nazia
rahim jamal kamal faruk jahangir alamgir shafiqul aminul rafiqul mizanur habibur mahbub shahed sabbir
tanvir fatema tasnim tasnima sumaiya jannat jannatul ferdousi rehana rahima rokeya salma shahnaz sharmin
shilpi taslima gurpreet harpreet jaspreet manpreet navpreet amanpreet simranjit simran jaskaran harjit
harjinder gurdeep jasdeep mandeep sandeep kuldeep pardeep pradeep hardeep jagdeep navdeep aarav dhruv
hardik jatin ketan kishan kunal mehul mihir nikhil nirav parth pranav rahul rajesh ravi rushil sahil
aanya diya kavya khushi mira meera nisha pooja puja neha sneha shreya shruti swati sonal bhavna bhavini
hetal karthik kavin vishnu surya aravind ganesh murugan keerthana lakshmi deepa gayathri janani kala
kamala kavitha lavanya malathi nandhini nithya pavithra preethi radha revathi nimal chaminda kasun
sachini nadeesha dilani chathurika ishara bikash bishal bibek bijay binod deepak dipak manoj nabin
asmita bina binita dipa kabita laxmi mina nirmala shafiq wahid zabihullah ahmadullah ajmal farid fawad
hamed hashmat hedayat hekmat aryana farida freshta fereshta frishta gulalai hosai laila lailuma mahbooba
mahmoud youssef yousef abdulrahman abdulaziz anas bassam fadi firas ghassan haitham hazem hussam issa
kareem laith louay maher majd marwan mazen mohannad muhannad munir aya amal aseel bayan doaa ghada hala
haya heba joud lamar layan lujain maha reza hossein mehdi majid javad behnam behrouz babak bijan dariush
farhad farshid fatemeh narges mahsa parisa azadeh bahar elham elnaz fariba farnaz golnaz haleh wei jie
hao ming lei tao yan hui jing xin ying chen feng mei ning qing xiao xue yun zhen minh anh linh huong
thao trang tuan khanh nam hoa quang thanh phuong thuy ngoc bao jomar rodel arnel ramil jessa maricel
marites rowena rosalie analyn marilou rosario lorna myrna ligaya delroy deja leroy desmond errol neville
marlon kemar omari kemoy oshane romario shamar hortense icilda claudette marcia paulette maxine marlene
merline shanelle shaniqua tanisha keisha latoya
"""
_COMMUNITY_SURNAMES = """
abbott allan allison andrews barrett bates benson bentley boyd brady brennan bryant carr carroll carson
coleman conway crawford curtis davidson dunn ferguson fitzgerald flynn fowler fraser freeman gallagher
gardner gibbs gilbert gregory griffin hammond hawkins hayes higgins holden holt hopkins jacobs jennings
kay kendall kerr kirby lambert lawson lester mackenzie mann maxwell morton myers nash newman nixon nolan
norris o'connor o'neill osborne patterson perkins pratt quinn ramsey randall rhodes riley saunders
steele sullivan tate webster willis hogan carey bevan gwilliam howells humphreys llewellyn meredith
owens probert prosser pugh griffith llywelyn madoc maddox pryce beynon gwynne jenkin mackay macpherson
mcintyre mclaren mcmillan connors mcdonagh mcdonough joyce maughan doran casey delaney mongan sweeney
quilligan reilly furey gavin boswell lovell loveridge hearne herne mchugh gayle mcleod forbes samuels
hylton bryan lindo dacosta facey gooden wojcik kowalczyk zielinski szymanski wozniak dabrowski kozlowski
jankowski mazur wojciechowski kwiatkowski krawczyk kaczmarek piotrowski grabowski zajac pawlowski
michalski krol wieczorek jablonski wrobel nowakowski majewski olszewski stepien malinowski jaworski
adamczyk dudek nowicki pawlak gorski kazlauskas jankauskas petrauskas stankevicius vasiliauskas
zukauskas butkus paulauskas berzins kalnins ozols jansons ozolins liepins ivanov ivanova smirnov
kuznetsov shevchenko kovalenko bondarenko tkachenko kravchenko melnyk popa stoica ciobanu rusu munteanu
ionita florea dinu dobre barbu nistor dragomir moldovan lungu oprea ilie toma zamfir sandu cojocaru
mocanu ursu bogdan georgiev georgieva dimitrov dimitrova petrov petrova nikolov nikolova hristov
hristova stoyanov stoyanova todorov todorova nagy kovacs toth szabo horvath varga molnar nemeth farkas
balogh papp takacs juhasz lakatos meszaros olah racz fekete szilagyi dzurko dzurkova gombar lacko kotlar
bandy sivak oravec puzder ziga conka mirga mizigar kandrac tancos ferko gabor kovac balaz lukac kovacova
novak hoxha krasniqi gashi berisha morina shala bytyqi kelmendi hasani rama shehu hyseni ahmeti dervishi
leka basha marku gjoka cela hysa mehmeti islami ismaili musliu selimi sadiku zeneli xhaferi thaqi limani
silva santos ferreira pereira oliveira rodrigues martins sousa souza fernandes goncalves gomes lopes
marques alves almeida ribeiro pinto rossi russo esposito bianchi romano colombo ricci marino greco bruno
gallo conti mancini giordano rizzo lombardi moretti barbieri fontana santoro mariani rinaldi caruso
ferrara galli leone longo gentile yilmaz kaya demir sahin celik yildiz yildirim ozturk aydin ozdemir
arslan dogan kilic aslan cetin koc kurt ozkan simsek polat ozcan korkmaz cakir erdogan kurdi barzani
talabani hama qadir adebayo adeleke adewale adeniyi adesanya adekunle adeoye adegoke afolabi ajayi
akande akinola akinyemi alabi babalola balogun bello fashola ogunleye ogunbiyi ogundipe ogunlade ojo
okeke okoro okoye okwu onyeka onyekachi nwosu nwankwo owusu asante boateng osei agyeman amoah appiah
acheampong adomako ampofo antwi asamoah badu bonsu darko donkor frimpong gyamfi kuffour kyei adan hassan
hussein mohamed mohamud omar warsame farah jama egal dualeh duale elmi gure hersi hirsi abdi tesfaye
haile berhe gebre gebremedhin gebreyesus gebremariam gebrehiwot tesfamariam tekle kidane mengistu alemu
bekele tadesse kebede girma abebe elamin elhassan abdalla babiker mohamedali elbashir yousif moyo ncube
sibanda ndlovu dube nyathi mpofu khumalo mlambo mahlangu mhlanga chikwanha chirwa chiweshe mapfumo
marufu kalala kabongo ilunga mukendi tshibangu mbala mulumba kasongo kabila lukusa mutombo kalonji ngoy
malik chaudhry chaudhary choudhury qureshi siddiqui shaikh mirza anwar aslam ashraf aziz bashir hanif
hafeez hamid haq javed karim latif majid mughal uddin hossain khatun chowdhury hoque haque alam akter
sandhu sidhu dhillon grewal sohal johal bains virdi dhaliwal cheema chahal sangha sekhon bhullar brar
mistry parmar solanki chauhan chavda makwana mehta modi desai joshi pandya sharma kumar gupta verma
kapoor khanna malhotra mehra chopra arora bhatia sethi anand sivakumar thurairajah sivarajah kandiah
nadarajah rajaratnam selvarajah sinnathamby sivanesan perera fernando jayasuriya jayawardena
wickramasinghe bandara gurung limbu tamang magar thapa shrestha adhikari khadka karki ahmadi hamidi
karimi mohammadi rahimi rezai hashimi hussaini jalali mahmoud mohammed mustafa khalil haddad khoury
nasser saleh youssef darwish hamdan mansour najjar sabbagh shami halabi hosseini rezaei mousavi hashemi
ghasemi sadeghi rostami moradi heidari kazemi salehi wang zhang liu chen yang huang zhao zhu guo lin luo
gao zheng liang xie han feng deng cao peng zeng li wu xu zhou nguyen tran pham hoang huynh reyes bautista ocampo
garcia mendoza torres tomas andrada oconnor oneill
"""

# More names of British South Asian, Nigerian, Ghanaian, Somali, Chinese, Vietnamese, Polish and
# Romanian families, typed in lower case on phones ("rang first response about riya and sanjay").
# Each is rarer than ordinary English (wordfreq Zipf under 3), or a name and nothing else ("arjun").
_MORE_COMMUNITY_GIVEN = """
riya nkechi xiaoling godswill sunil sumit rohit mohit sachin vikram vivek varun tarun arun raju ramesh suresh
mahesh dinesh naresh ashok prakash rakesh mukesh anjali ananya aditi ankita archana bhavya chandni divya geeta
hema jaya jyoti kajal kamini kirti lata madhu mamta mansi meena nandini padma pallavi payal prachi preeti
priyanka radhika rani rashmi rekha renu ritu rupa sapna shalini sheetal shilpa sita smita sunita sushma tanvi
vandana veena aditya akash akshay aman ansh arnav ayush ishaan krish laksh reyansh rudra shaurya vihaan yash
zaid zayd yahya yaseen yasir zakir aliya alya anaya arisha fiza hafsah hira izza marwa mehreen mishal muskan
nimra rida rumaisa safa sehar shazia sidra sobia uzma zoya zunaira chidinma chinaza ebube ezinne ifunanya
nkiru oluchi somto zikora chibueze chimezie chukwudi ebuka ikechukwu kenechukwu somtochukwu tobenna ugo uzoma
zubby abiodun adebola adeola adunni aduke ajoke bolanle funke ibukun iyabo modupe morenike omolara omotola
simi temi titi wuraola yewande bayo deji gbenga jide kunle lanre seyi tunji dapo kwadwo yaw kwasi yaa ekow
godfred goodluck godspower xiaoming xiaoyu xiaohong xiaomei xiaowei xiaojun zihan zixuan yuxuan haoran yuhang
jiahao junjie zhiwei jiayi yiwen yuting xinyi jingyi meiling lihua huiling shuang qian duc phuc trung vinh
nhung uyen vy agata weronika aleksy antek bartek franek kuba nikodem staszek tymon wiktor cosmin eduard ionel
mircea petru remus silviu teodor ionela mirela sorina abdiqani abdirizak abdiwahab ayan deeqa faduma fartun
fowsiya hamdi ilhan maryan muna nasra qamar sagal sahra shukri sumaya ubah zamzam kowsar mohamud sanjay arjun
anil vijay ajay amit karan rohan nikita kabir shiv hamid sana godwin valentina lucian stefan igor diana
"""

# Babies' names of the 2020s in the ONS tables that the lists above missed.
_RECENT_GIVEN = """
hudson grayson hallie delilah nancy thea esme lottie myla ophelia lyla maeve rocco jax bodhi arabella ralph
"""

# Boys' and girls' names of the last three decades in the same ONS tables (Baby names in England and
# Wales) that the lists above missed, several of them surnames too ("Bailey", "Morgan").
_SURNAME_LIKE_GIVEN = """
bailey morgan mackenzie jenson brody lennon macy keegan layton mylo jayce
"""

# Short forms British families use as given names, which the census lists lack ("Ricky Dunn").
_SHORT_FORMS = """
ricky jimmy stevie robbie kenny jerry larry steve sammy micky mickey vinny jonny jonjo donny denny benny
ritchie gerry terri jojo josie lizzie tash shaz shazza
"""

# Given names that are everyday words too ("hope", "will", "storm"). They are kept out of
# GIVEN_NAMES, which a lower-case word is matched against with little else to go on; the guard
# takes one of these for a name only where nothing but a person fits ("will has told me",
# "rose's dad", "summer in year 10"). Months are left out: "may is 3" is rarer than "in May".
_EVERYDAY_GIVEN = """
hope grace faith storm will summer bay sunny rose rocky precious patience destiny divine river sky
autumn honey star blessing joy mercy charity dawn pat harmony melody angel crystal bliss royal prince
princess king reign legend hunter archer chase ace wren robin sage fern clay cash penny ginger cherry
rusty buddy dusty misty lucky blue jet ash brook rain india hazel iris violet olive nova max roman
sandy mandy mick
"""


def _census_given() -> frozenset[str]:
    text = (Path(__file__).with_name("census_given_names.txt")).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


_ALL_GIVEN = (
    frozenset(_GIVEN.split())
    | _census_given()
    | frozenset(_MORE_GIVEN.split())
    | frozenset(_COMMUNITY_GIVEN.split())
    | frozenset(_MORE_COMMUNITY_GIVEN.split())
    | frozenset(_RECENT_GIVEN.split())
    | frozenset(_SURNAME_LIKE_GIVEN.split())
    | frozenset(_SHORT_FORMS.split())
)
EVERYDAY_GIVEN_NAMES = frozenset(_EVERYDAY_GIVEN.split()) - _ALL_GIVEN
# held as long as the bot runs: 5,300 names take 0.07 MB as a WordSet, 0.55 MB as a frozenset
GIVEN_NAMES = WordSet(_ALL_GIVEN)
SURNAMES = WordSet(_SURNAMES.split() + _MORE_SURNAMES.split() + _COMMUNITY_SURNAMES.split())
del _ALL_GIVEN
